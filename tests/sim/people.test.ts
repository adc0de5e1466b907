/**
 * Mechanism 7, people move on (people.ts; NAO [2.20]): when a school's key person
 * leaves, the fragile partnerships coordinated from it end (reason key-person) and
 * the others survive with reduced trust; departures follow the turnover rate; about
 * 23% of partnerships hang on key people.
 */
import { describe, expect, it } from 'vitest';
import { peopleStep, scheduleDepartures } from '../../sim/people.js';
import { ATTAINMENT, BEHAVIOUR, END_REASONS } from '../../sim/state.js';
import { OPEN } from '../../sim/state.js';
import { bareState, binomTol, model, params, partnership, rng, world } from './helpers.js';

describe('a key person leaves', () => {
  it('fragile partnerships coordinated from that school end; others keep 80% of the trust with it', () => {
    const s = bareState(40);
    s.step = 6;
    const key = 0;
    s.world.keyPerson.fill(0);
    s.world.keyPerson[key] = 1;
    s.world.keyPerson[20] = 1; // another key-person school whose person stays
    s.nextKeyLeave.fill(Infinity);
    s.nextKeyLeave[key] = 6; // leaves this step
    const fragile: number[] = [];
    const sturdy: number[] = [];
    for (let k = 0; k < 4; k++) {
      const p = partnership(s, [key, 1 + 2 * k, 2 + 2 * k], k % 2 ? BEHAVIOUR : ATTAINMENT);
      s.parts.keySchool[p] = key;
      s.parts.fragile[p] = 1;
      fragile.push(p);
    }
    for (let k = 0; k < 3; k++) {
      const a = 9 + k;
      const p = partnership(s, [key, a], ATTAINMENT);
      s.parts.keySchool[p] = key;
      s.trust.set(key, a, 6, 0.7);
      sturdy.push(p);
    }
    // Coordinated from elsewhere: the leaving person does not matter to it, fragile or not.
    const other = partnership(s, [key, 20, 21], ATTAINMENT);
    s.parts.keySchool[other] = 20;
    s.parts.fragile[other] = 1;
    s.trust.set(key, 21, 6, 0.7);

    peopleStep(s, rng('people'));

    for (const p of fragile) {
      expect(s.parts.alive[p]).toBe(0);
      expect(END_REASONS[s.history.reasonOf(s.parts.hist[p])]).toBe('key-person');
      expect(s.history.end[s.parts.hist[p]]).toBe(6);
    }
    for (const p of sturdy) {
      expect(s.parts.alive[p]).toBe(1);
      expect(s.parts.size[p]).toBe(2);
    }
    for (let k = 0; k < 3; k++) expect(s.trust.get(key, 9 + k, 6)).toBeCloseTo(0.7 * 0.8, 5);
    expect(s.parts.alive[other]).toBe(1);
    expect(s.trust.get(key, 21, 6)).toBeCloseTo(0.7, 5);
    // The key school is left in the surviving partnerships only.
    expect(s.nSlots[key]).toBe(sturdy.length + 1);
    // The next departure is scheduled in the future; the other school's person is still there.
    expect(s.nextKeyLeave[key]).toBeGreaterThan(6);
    expect(s.nextKeyLeave[20]).toBe(Infinity);
  });

  it('departures come at the turnover rate: exponential waits with mean 1 / 0.12 years', () => {
    const s = bareState(5000);
    scheduleDepartures(s, rng('departures'));
    let sum = 0;
    let withinYear = 0;
    for (let i = 0; i < s.n; i++) {
      sum += s.nextKeyLeave[i];
      if (s.nextKeyLeave[i] <= s.spy) withinYear++;
    }
    const meanSteps = s.spy / 0.12; // 25 terms
    expect(Math.abs(sum / s.n - meanSteps)).toBeLessThan((4 * meanSteps) / Math.sqrt(s.n));
    const p1 = 1 - Math.exp(-0.12);
    expect(Math.abs(withinYear / s.n - p1)).toBeLessThan(binomTol(p1, s.n));
  });
});

describe('in a run', () => {
  it('about 23% of partnerships would fail if a key person left, and only fragile ones end that way', () => {
    const p = params();
    const m = model(world(3300, 'people', p), p, 3, 'people').run();
    const H = m.s.history;
    let fragile = 0;
    let keyEnds = 0;
    for (let k = 0; k < H.rows; k++) {
      const ended = H.end[k] !== OPEN;
      if (ended && END_REASONS[H.reasonOf(k)] === 'key-person') {
        keyEnds++;
        expect(H.fragileOf(k)).toBe(1);
      }
    }
    // Share fragile among partnerships made: key-person coordinator (world.keyPersonShare) x fragile
    // (people.fragileShare) x (1 - 34% with written governance x 50% succession).
    const q = p.world.keyPersonShare * p.people.fragileShare * (1 - p.formation.writtenGovernance * p.people.governanceSuccession);
    expect(p.formation.writtenGovernance).toBe(0.34);
    let alive = 0;
    for (let q = 0; q < m.s.parts.high; q++) {
      if (!m.s.parts.alive[q]) continue;
      alive++;
      fragile += m.s.parts.fragile[q];
    }
    expect(keyEnds).toBeGreaterThan(20);
    // Fragile ones that survive are those whose person has not left yet, so the live share sits a little below.
    expect(fragile / alive).toBeGreaterThan(q - binomTol(q, alive) - 0.08);
    expect(fragile / alive).toBeLessThan(q + binomTol(q, alive));
  });
});
