/**
 * Mechanism 2, trust is built over time (trust.ts, trust-table.ts; NAO [13], Case
 * Example 6; Klos & Nooteboom 2001): the reward and breach formulas by hand, lazy
 * drift of idle trust, and over many steps sharing partnerships ending with more
 * trust than non-sharing ones, one-sided (led) ones with less, each matching the
 * expected-value recursion of the update rule.
 */
import { describe, expect, it } from 'vitest';
import { TrustTable } from '../../sim/trust-table.js';
import * as fmath from '../../sim/fmath.js';
import { informalSharing, interact } from '../../sim/trust.js';
import { gatherMembers } from '../../sim/partnership.js';
import { acceptUtility } from '../../sim/formation.js';
import { ATTAINMENT, type State } from '../../sim/state.js';
import { bareState, binomTol, mean, params, partnership, stream, variance } from './helpers.js';
import { drawCandidate } from '../../sim/formation.js';

describe('TrustTable', () => {
  const decay = 1 - Math.pow(0.9, 1 / 3); // 10% a year, termly steps

  it('rewards t <- t + alpha (1 - t) and breaches t <- beta t, symmetrically', () => {
    const t = new TrustTable(100, 0.45, decay);
    expect(t.get(3, 7, 0)).toBeCloseTo(0.45, 6); // strangers
    expect(t.has(3, 7)).toBe(false);
    expect(t.reward(3, 7, 0, 0.1)).toBeCloseTo(0.505, 6); // 0.45 + 0.1 x 0.55
    expect(t.get(7, 3, 0)).toBeCloseTo(0.505, 6);
    expect(t.has(7, 3)).toBe(true);
    expect(t.reward(7, 3, 0, 0.1)).toBeCloseTo(0.5545, 6); // 0.505 + 0.1 x 0.495
    expect(t.breach(3, 7, 0, 0.6)).toBeCloseTo(0.3327, 6); // 0.6 x 0.5545
    expect(t.size).toBe(1);
    // Other pairs are untouched.
    expect(t.get(3, 8, 0)).toBeCloseTo(0.45, 6);
    t.set(0, 1, 0, 1);
    expect(t.reward(0, 1, 0, 0.5)).toBeCloseTo(1, 6); // 1 is a fixed point
    t.set(0, 2, 0, 0);
    expect(t.breach(0, 2, 0, 0.6)).toBe(0);
  });

  it('stores the step of the last update exactly as a 16-bit integer, and refuses a step that does not fit', () => {
    const t = new TrustTable(10, 0.45, decay);
    t.set(1, 2, -5200, 0.9); // the earliest step a run can have: 100 years of spin-up at 52 steps a year
    t.set(3, 4, 5200, 0.1);
    expect(t.get(1, 2, -5200)).toBe(Math.fround(0.9));
    expect(t.get(1, 2, -5199)).toBe(0.45 + (Math.fround(0.9) - 0.45) * fmath.exp(fmath.log(1 - decay)));
    expect(t.get(3, 4, 5200)).toBe(Math.fround(0.1));
    expect(() => t.set(1, 2, 40000, 0.5)).toThrow(/step 40000/);
    expect(() => t.reward(5, 6, 2.5, 0.1)).toThrow(/whole number/);
  });

  it('idle trust drifts back towards the initial level at the decay rate, lazily', () => {
    const t = new TrustTable(100, 0.45, decay);
    t.set(1, 2, 0, 0.9);
    t.set(4, 5, 0, 0.1);
    // After 10 termly steps: 0.45 + (t0 - 0.45) 0.9^(10/3).
    expect(t.get(1, 2, 10)).toBeCloseTo(0.45 + 0.45 * Math.pow(0.9, 10 / 3), 5);
    expect(t.get(4, 5, 10)).toBeCloseTo(0.45 - 0.35 * Math.pow(0.9, 10 / 3), 5);
    expect(t.get(1, 2, 0)).toBeCloseTo(0.9, 6);
    // A reward after idling starts from the drifted value.
    const drifted = 0.45 + 0.45 * Math.pow(0.9, 1);
    expect(t.reward(1, 2, 3, 0.1)).toBeCloseTo(drifted + 0.1 * (1 - drifted), 5);
    expect(t.get(1, 2, 3)).toBeCloseTo(drifted + 0.1 * (1 - drifted), 5);
  });

  it('keeps every pair through growth, and its mean is the mean of the pairs', () => {
    const t = new TrustTable(10, 0.45, decay);
    const N = 300;
    let sum = 0;
    let k = 0;
    for (let a = 0; a < N; a++) {
      for (const d of [1, 7, 31]) {
        const v = ((a * 37 + d) % 101) / 100;
        t.set(a, a + d, 0, v);
        sum += v;
        k++;
      }
    }
    expect(t.size).toBe(k);
    for (let a = 0; a < N; a++) for (const d of [1, 7, 31]) expect(t.get(a + d, a, 0)).toBeCloseTo(((a * 37 + d) % 101) / 100, 6);
    expect(t.mean(0)).toBeCloseTo(sum / k, 5);
    expect(t.has(0, 2)).toBe(false);
  });
});

/** Pairs of fresh partners: kind 'share' (reciprocal, sharing), 'plain' (reciprocal), 'led' (one-sided), 'admin'. */
type Kind = 'share' | 'plain' | 'led' | 'admin' | 'far';

function pairs(s: State, kinds: Kind[], perKind: number): Map<Kind, number[]> {
  s.world.laSupported.fill(1); // every LA supportive: gain x 1.1
  const out = new Map<Kind, number[]>();
  let next = 0;
  for (const kind of kinds) {
    const ps: number[] = [];
    for (let k = 0; k < perKind; k++) {
      const p = partnership(s, [next, next + 1], ATTAINMENT);
      s.parts.shares[p] = kind === 'share' ? 1 : 0;
      s.parts.leader[p] = kind === 'led' ? next : -1;
      s.parts.administrative[p] = kind === 'admin' ? 1 : 0;
      next += 2;
      ps.push(p);
    }
    out.set(kind, ps);
  }
  return out;
}

function pairTrust(s: State, p: number): number {
  const h = s.parts.head[p];
  return s.trust.get(s.members.school[h], s.members.school[s.members.next[h]], s.step);
}

describe('interactions within partnerships', () => {
  it('over many steps sharing builds more trust than not sharing, and a leader breeds less', () => {
    const steps = 45;
    const per = 250;
    // The reciprocity and sharing-adoption mechanisms are off here (tested below), so the hand recursion holds.
    const s = bareState(per * 6, params((p) => {
      p.trust.reciprocityBreach = 0;
      p.trust.sharingAdoptPerYear = 0;
    }));
    const kinds = pairs(s, ['share', 'plain', 'led'], per);
    for (const ps of kinds.values()) for (const p of ps) s.parts.uid[p] = 7919 * p + 1; // each its own draws
    const r = stream('interact');
    for (let t = 0; t < steps; t++) {
      s.step = t;
      for (const ps of kinds.values()) {
        for (const p of ps) {
          const count = gatherMembers(s, p, s.scratch, s.scratchM);
          s.parts.trust[p] = interact(s, p, count, r);
        }
      }
    }
    // Expected value of the rule, each step: idle drift over one step, then one interaction
    // (count / 2 pairs work together a step): E t' = (1 - b)(t + a(1 - t)) + b beta t.
    const pt = s.p.trust;
    const d = 1 - Math.pow(1 - pt.decayPerYear, 1 / 3);
    const expected = (a: number, b: number): number => {
      let m = pt.initial;
      for (let t = 0; t < steps; t++) {
        if (t > 0) m = pt.initial + (m - pt.initial) * (1 - d);
        m = (1 - b) * (m + a * (1 - m)) + b * pt.breach * m;
      }
      return m;
    };
    const a = pt.gain * 1.1;
    const want: Record<string, number> = {
      share: expected(a * pt.sharingGain, pt.breachRate),
      plain: expected(a, pt.breachRate),
      led: expected(a, pt.oneSidedBreachRate),
    };
    const got: Record<string, number> = {};
    for (const [kind, ps] of kinds) {
      const xs = ps.map((p) => pairTrust(s, p));
      got[kind] = mean(xs);
      const se = Math.sqrt(variance(xs) / xs.length);
      expect(Math.abs(got[kind] - want[kind]), `${kind}: ${got[kind]} vs expected ${want[kind]}`).toBeLessThan(4 * se + 1e-3);
    }
    expect(got.share).toBeGreaterThan(got.plain + 0.02);
    expect(got.led).toBeLessThan(got.plain - 0.15);
    // Sanity of the hand recursion: sharing and plain rise above strangers, led falls below.
    expect(want.share).toBeGreaterThan(want.plain);
    expect(want.plain).toBeGreaterThan(pt.initial);
    expect(want.led).toBeLessThan(want.plain);
  });

  it('administrative partnerships (moving excluded pupils) rarely interact: 20% of the time', () => {
    const s = bareState(800);
    const kinds = pairs(s, ['admin'], 400);
    for (const p of kinds.get('admin')!) s.parts.uid[p] = 7919 * p + 1;
    const r = stream('admin');
    for (const p of kinds.get('admin')!) {
      const count = gatherMembers(s, p, s.scratch, s.scratchM);
      interact(s, p, count, r);
    }
    // A pair works together once a step, and an administrative one only 20% of the time.
    let untouched = 0;
    for (const p of kinds.get('admin')!) {
      const h = s.parts.head[p];
      if (!s.trust.has(s.members.school[h], s.members.school[s.members.next[h]])) untouched++;
    }
    expect(Math.abs(untouched / 400 - 0.8)).toBeLessThan(binomTol(0.8, 400));
  });
});

describe('informal sharing between neighbours', () => {
  it('10% of schools a term share with a neighbour, each raising that pair by alpha / 2', () => {
    const n = 3000;
    const s = bareState(n);
    const r = stream('informal');
    informalSharing(s, r);
    // Replay the keyed draws: school i shares if u(i, step, 0) < 0.1, with the candidate drawn at (i, step, 1..3).
    const partners: number[] = [];
    for (let i = 0; i < n; i++) if (r.u(i, 0, 0) < 0.1) partners.push(i);
    expect(Math.abs(partners.length / n - 0.1)).toBeLessThan(binomTol(0.1, n));
    let raised = 0;
    for (const i of partners) {
      const j = drawCandidate(s, i, r, 0, 1);
      if (j === i) continue;
      expect(s.trust.get(i, j, 0)).toBeGreaterThanOrEqual(0.45 + 0.03 * 0.55 - 1e-6);
      raised++;
    }
    expect(s.trust.size).toBeLessThanOrEqual(raised);
    expect(s.trust.size).toBeGreaterThan(0.95 * raised); // a pair drawn twice is stored once
    // ...which is what makes a later invitation more acceptable (trust weight 0.6 per unit).
    const i = partners.find((x) => drawCandidate(s, x, r, 0, 1) !== x)!;
    const j = drawCandidate(s, i, r, 0, 1);
    s.trust.set(i, j, 0, 0.45 + 0.03 * 0.55);
    const shared = acceptUtility(s, i, j, false);
    s.trust.set(i, j, 0, s.p.trust.initial);
    expect(shared - acceptUtility(s, i, j, false)).toBeCloseTo(0.6 * 0.03 * 0.55, 5);
  });
});

describe('TrustTable against a plain map (bit for bit)', () => {
  it('gives the same values as a map holding float32 trust and step, through block moves and repacks', () => {
    const initial = 0.45;
    const decay = 1 - Math.pow(0.9, 1 / 3);
    // the table's decay uses the portable exp and log (sim/fmath.ts), so does the reference
    const logKeep = fmath.log(1 - decay);
    const t = new TrustTable(50, initial, decay);
    const ref = new Map<string, { v: number; at: number }>();
    const key = (a: number, b: number): string => (a < b ? `${a},${b}` : `${b},${a}`);
    const f32 = (x: number): number => Math.fround(x);
    const refGet = (a: number, b: number, step: number): number => {
      const e = ref.get(key(a, b));
      if (!e) return initial;
      const idle = step - e.at;
      return idle <= 0 ? e.v : initial + (e.v - initial) * fmath.exp(idle * logKeep);
    };
    let x = 99;
    const rand = (): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x / 2 ** 32;
    };
    for (let step = -20; step < 500; step++) {
      for (let k = 0; k < 20; k++) {
        const a = Math.floor(rand() * 50);
        const b = (a + 1 + Math.floor(rand() * 12)) % 60; // local partners, some beyond the 50 schools given
        const op = rand();
        if (op < 0.4) {
          const got = t.reward(a, b, step, 0.1);
          const tr = refGet(a, b, step);
          const next = tr + 0.1 * (1 - tr);
          ref.set(key(a, b), { v: f32(next), at: f32(step) });
          expect(got).toBe(next);
        } else if (op < 0.55) {
          const got = t.breach(a, b, step, 0.6);
          const next = 0.6 * refGet(a, b, step);
          ref.set(key(a, b), { v: f32(next), at: f32(step) });
          expect(got).toBe(next);
        } else if (op < 0.6) {
          t.set(b, a, step, 0.3);
          ref.set(key(a, b), { v: f32(0.3), at: f32(step) });
        } else {
          expect(t.get(a, b, step)).toBe(refGet(a, b, step));
          expect(t.has(a, b)).toBe(ref.has(key(a, b)));
        }
      }
    }
    expect(t.size).toBe(ref.size);
    // Long idle spans use exp directly (beyond the table), short ones the table: both exact.
    for (const [k, e] of ref) {
      const [a, b] = k.split(',').map(Number);
      for (const step of [500, 1500, 9000]) expect(t.get(b, a, step)).toBe(initial + (e.v - initial) * fmath.exp((step - e.at) * logKeep));
    }
  });

  it('lack of reciprocity: pairs far apart in quality breach more, so their trust ends lower (NAO [Case Example 6])', () => {
    const steps = 45;
    const per = 250;
    const s = bareState(per * 4, params((p) => (p.trust.sharingAdoptPerYear = 0)));
    const kinds = pairs(s, ['plain', 'far'], per);
    // Equal pairs (gap 0) against pairs two quality SDs apart: breach chance breachRate + 2 x reciprocityBreach.
    for (const [kind, ps] of kinds) for (const p of ps) {
      s.parts.uid[p] = 7919 * p + 3;
      let k = 0;
      for (let m = s.parts.head[p]; m !== -1; m = s.members.next[m]) {
        const i = s.members.school[m];
        s.shock[i] = 0;
        s.home[i] = kind === 'far' ? (k++ === 0 ? 1 : -1) : 0;
      }
    }
    const r = stream('reciprocity');
    for (let t = 0; t < steps; t++) {
      s.step = t;
      for (const ps of kinds.values()) for (const p of ps) s.parts.trust[p] = interact(s, p, gatherMembers(s, p, s.scratch, s.scratchM), r);
    }
    const m = (kind: 'plain' | 'far'): number => mean(kinds.get(kind)!.map((p) => s.parts.trust[p]));
    expect(s.p.trust.reciprocityBreach).toBeGreaterThan(0);
    expect(m('far')).toBeLessThan(m('plain') - 0.1);
  });

  it('trust leads to sharing: only partnerships above trust.sharingTrust come to share, at about sharingAdoptPerYear (NAO [13, 2.15])', () => {
    const per = 400;
    const s = bareState(per * 4, params((p) => (p.trust.sharingAdoptPerYear = 0.6)));
    const kinds = pairs(s, ['plain'], per * 2);
    const ps = kinds.get('plain')!;
    ps.forEach((p, k) => {
      s.parts.uid[p] = 7919 * p + 5;
      s.parts.shares[p] = 0;
      s.parts.trust[p] = k % 2 === 0 ? 0.95 : 0.2;
    });
    const r = stream('adopt');
    s.step = 1;
    for (const p of ps) interact(s, p, gatherMembers(s, p, s.scratch, s.scratchM), r);
    const high = ps.filter((_, k) => k % 2 === 0);
    const low = ps.filter((_, k) => k % 2 === 1);
    const share = (xs: number[]): number => mean(xs.map((p) => s.parts.shares[p]));
    expect(share(low)).toBe(0);
    // One step of a third of a year at 0.6 a year: 0.2 chance.
    expect(Math.abs(share(high) - 0.2)).toBeLessThan(binomTol(0.2, high.length));
  });
});
