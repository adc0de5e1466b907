/**
 * Memory layout of the state (state.ts): what the model only reads is the world's own
 * array, not a copy; the yearly top-quartile threshold works in the thread's shared
 * scratch buffer and matches a full sort; membership join steps are 16-bit and exact.
 */
import { describe, expect, it } from 'vitest';
import { updateTopQuartile } from '../../sim/need.js';
import { releasableBuffer, releaseBuffer, scratchBuffer } from '../../sim/scratch.js';
import { compact } from '../../sim/compact.js';
import { ATTAINMENT, History, LATER, laterStep, Partnerships } from '../../sim/state.js';
import { scheduleFade } from '../../sim/dissolution.js';
import { CVA_CENTRE, expectedAttainment } from '../../sim/outcomes.js';
import { bareState, model, params, partnership, stream, world } from './helpers.js';
import { allocWorld, schoolUrn } from '../../sim/world.js';

describe('state memory layout', () => {
  it('reads quality and behaviour from the world without copying them', () => {
    const s = bareState(50);
    expect(s.home).toBe(s.world.quality);
    expect(s.behHome).toBe(s.world.behaviour);
    expect(s.attainment).not.toBe(s.world.attainment); // the model changes attainment: a copy
  });

  it('keeps no per-school expected attainment (only CVA used it, in the same loop): CVA is attainment less the expectation, re-centred', () => {
    const p = params();
    const m = model(world(200, 6, p), p, 1, 6).run();
    const s = m.s;
    expect('expected' in s).toBe(false);
    // CVA_CENTRE + a - exp, with exp from the school's intake and key-stage attendance (both 32-bit floats: 1e-3 of a point).
    for (let i = 0; i < s.n; i++) {
      const exp = expectedAttainment(p, s.world.fsm[i], s.world.sen[i], s.attendanceKs[i]);
      expect(Math.abs(s.cva[i] - (CVA_CENTRE + s.attainment[i] - exp))).toBeLessThan(1e-3);
    }
  });

  it("keeps the step's gains and transition points in the shared scratch; another model run whole between two steps changes nothing", () => {
    const p = params();
    const w = world(300, 8, p);
    const alone = model(w, p, 2, 8).run();
    const s = alone.s;
    for (const a of [s.transition, s.gainAtt, s.gainBeh]) expect(a.buffer).toBe(scratchBuffer(0));
    // After each of its steps a whole other run (its compactions, trust repacks and own step temporaries) writes the same scratch pages.
    const w2 = world(400, 3, p); // a different size: its temporaries overlap this run's (its transition points lie on our gains)
    const interrupted = model(w, p, 2, 8).run(() => {
      model(w2, p, 1, 3).run();
    });
    expect(Array.from(interrupted.timeseries)).toEqual(Array.from(alone.timeseries));
  });

  it("keeps the spin-up's window sums out of the state, in a buffer given back once the stocks are set", () => {
    const s = bareState(30);
    expect('gainSumAtt' in s || 'gainSumBeh' in s).toBe(false);
    const b = releasableBuffer(4 * 1000);
    const v = new Float32Array(b, 0, 1000);
    v.fill(2);
    expect(v[999]).toBe(2);
    releaseBuffer(b);
    expect(b.byteLength).toBe(0); // Node 20 has resizable buffers: the memory is returned, not left to the collector
    expect(v.length).toBe(0);
  });

  it('finds the top-quartile threshold in the shared scratch, equal to sorting, and after a compaction reused the buffer', () => {
    const p = params();
    const m = model(world(300, 5, p), p, 1, 5);
    m.run();
    const s = m.s;
    const sorted = Array.from(s.attainment).sort((a, b) => a - b);
    compact(s); // writes the shared scratch buffer
    updateTopQuartile(s);
    expect(s.topQuartile).toBe(sorted[Math.floor(300 * 0.75)]);
  });

  it("keeps each membership's join step exactly, negative (spin-up) steps included", () => {
    const s = bareState(20);
    const steps = [-5200, -61, 0, 29, 5200];
    const parts = steps.map((t, k) => {
      s.step = t;
      return partnership(s, [2 * k, 2 * k + 1], ATTAINMENT);
    });
    expect(s.members.joined).toBeInstanceOf(Int16Array);
    parts.forEach((p, k) => {
      for (let m = s.parts.head[p]; m !== -1; m = s.members.next[m]) expect(s.members.joined[m]).toBe(steps[k]);
    });
  });

  it("ranks FSM and attainment at set-up in the shared scratch, leaving the state's member scratch written only as far as one partnership's members", () => {
    const p = params();
    const n = 2000;
    const m = model(world(n, 4, p), p, 1, 4);
    m.initialise();
    const s = m.s;
    let biggest = 0;
    for (let q = 0; q < s.parts.high; q++) if (s.parts.alive[q]) biggest = Math.max(biggest, s.parts.size[q]);
    expect(biggest).toBeLessThan(n / 4);
    // The ranks were once written into these arrays (a permutation of 0 .. n-1: all but one entry non-zero).
    for (const a of [s.scratch, s.scratchM]) expect(a.subarray(n / 2).every((v) => v === 0)).toBe(true);
    // The bands still split the schools into quarters.
    const perBand = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) perBand[s.fsmBand[i]]++;
    expect(perBand).toEqual([n / 4, n / 4, n / 4, n / 4]);
  });

  it('reserves the shared scratch once, at world generation: the state, the spin-up, yearly compactions and trust repacks never replace it', () => {
    const p = params();
    const w = world(2000, 9, p); // generation's temporaries are views of it
    const before = scratchBuffer(0);
    const m = model(w, p, 3, 9);
    expect(before.byteLength).toBeGreaterThanOrEqual(2000 * 64);
    m.run();
    expect(scratchBuffer(0)).toBe(before);
  });

  it('keeps partnership steps in 16 bits (LATER for any step past the last one a run can reach) and the LA in 16 bits up to 65,536 LAs, through growth', () => {
    expect(laterStep(-5200)).toBe(-5200);
    expect(laterStep(LATER - 1)).toBe(LATER - 1);
    expect(laterStep(40000)).toBe(LATER);
    const small = new Partnerships(2, 65536);
    const big = new Partnerships(2, 65537);
    for (const P of [small, big]) {
      expect(P.start).toBeInstanceOf(Int16Array);
      expect(P.fundingEnd).toBeInstanceOf(Int16Array);
      expect(P.fadeAt).toBeInstanceOf(Int16Array);
      for (let k = 0; k < 5; k++) {
        const la = k === 4 ? (P === small ? 65535 : 65536) : k;
        const p = P.allocate(la); // grows past 2 slots
        expect(P.fadeAt[p]).toBe(LATER);
        expect(P.la[p]).toBe(la);
      }
      expect(P.la).toBeInstanceOf(P === small ? Uint16Array : Int32Array);
    }
    // A fade drawn far beyond any run (a hazard that nearly vanishes) is stored as LATER, not wrapped to a negative step.
    const p = params((q) => {
      q.dissolution.hazardPerYear = 0;
      q.dissolution.hazardFloorPerYear = 1e-7; // a fade some ten million years on: finite, far past LATER
    });
    const s = bareState(10, p);
    const q = partnership(s, [0, 1], ATTAINMENT);
    for (let k = 0; k < 50; k++) {
      s.parts.uid[q] = k;
      scheduleFade(s, q, stream('fade'));
      expect(s.parts.fadeAt[q]).toBe(LATER);
    }
  });

  it('logs LAs in 16 bits up to 65,536 LAs and in 32 bits beyond, through growth', () => {
    const small = new History(2, 65536);
    const big = new History(2, 65537);
    for (const la of [0, 1, 65535]) {
      const r = small.add(); // grows past 2 rows
      small.la[r] = la;
    }
    for (const la of [0, 65535, 65536, 200000]) {
      const r = big.add();
      big.la[r] = la;
    }
    expect(small.la).toBeInstanceOf(Uint16Array);
    expect(big.la).toBeInstanceOf(Int32Array);
    expect(Array.from(small.la.subarray(0, 3))).toEqual([0, 1, 65535]);
    expect(Array.from(big.la.subarray(0, 4))).toEqual([0, 65535, 65536, 200000]);
  });

  it("keeps a generated world's feeder primaries as one 16-bit count a school, read by the state without a copy", () => {
    const w = world(3000, 11);
    expect(w.feeders).toBeInstanceOf(Uint16Array);
    expect(w.feeders.length).toBe(3000);
    expect(w.primarySecondary.length + w.primaryPupils.length).toBe(0);
    const s = bareState(40);
    expect(s.feeders).toBe(s.world.feeders);
  });

  it("keeps no URNs for a generated world (school i's is 900000 + i, read with schoolUrn), but an imported world's own", () => {
    const w = world(300, 12);
    expect(w.urn.length).toBe(0);
    expect([0, 1, 299].map((i) => schoolUrn(w, i))).toEqual([900000, 900001, 900299]);
    const named = allocWorld(3, 1, 0);
    named.urn.set([118001, 118004, 100002]);
    expect([0, 1, 2].map((i) => schoolUrn(named, i))).toEqual([118001, 118004, 100002]);
  });

  it("packs each log row's focus, end reason and end attributes into 16 bits, and refuses a value that does not fit", () => {
    const h = new History(4, 10);
    const rows = [
      [1, 0, 0, 0, 0, 0],
      [3, 9, 4, 1, 1, 2],
      [2, 5, 2, 0, 1, 1],
      [1, 1, 1, 1, 0, 0],
      [3, 8, 3, 0, 0, 2], // past the first capacity: the packed column grows
    ];
    for (const [focus, reason, funding, shares, fragile, imposed] of rows) {
      const r = h.add();
      h.open(r, focus);
      expect([h.focusOf(r), h.reasonOf(r)]).toEqual([focus, 0]);
      if (reason > 0) h.close(r, reason, funding, shares, fragile, imposed);
    }
    rows.forEach(([focus, reason, funding, shares, fragile, imposed], r) => {
      expect([h.focusOf(r), h.reasonOf(r), h.fundingOf(r), h.sharesOf(r), h.fragileOf(r), h.imposedOf(r)]).toEqual([focus, reason, funding, shares, fragile, imposed]);
    });
    expect(() => h.close(0, 16, 0, 0, 0, 0)).toThrow(/do not fit/);
    expect(() => h.close(0, 1, 8, 0, 0, 0)).toThrow(/do not fit/);
    expect(() => h.close(0, 1, 0, 0, 0, 4)).toThrow(/do not fit/);
    expect(() => h.open(0, 4)).toThrow(/2 bits/);
  });
});
