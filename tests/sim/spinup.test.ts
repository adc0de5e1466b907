/**
 * The spin-up (model.ts, initialise): the 2007 state is the model's own history, the
 * same whichever policy follows; no-partnering means never partnered and
 * stop-partnering-2007 keeps the old meaning; under the baseline the partnering share
 * and partnering's effect on attainment are flat from 2007 (issue 10's acceptance,
 * here on a smaller England; the CLI test runs the full-size commands).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../scenarios/loader.js';
import { M, METRICS } from '../../sim/metrics.js';
import { runModel, type Task } from '../../workers/task.js';
import { model, world } from './helpers.js';

const run = { years: 10, stepsPerYear: 3, startYear: 2007, schools: 1200 };
const task = (name: string): Task => {
  const sc = loadScenario(name);
  return { id: 0, scenario: name, params: sc.params, run, seed: 3, point: 0, replication: 0 };
};
const yearly = (m: ReturnType<typeof runModel>, id: string): number[] => {
  const k = METRICS.length;
  const out: number[] = [];
  for (let y = 0; y < run.years; y++) {
    let s = 0;
    for (let t = y * 3; t < y * 3 + 3; t++) s += m.timeseries[t * k + M[id]];
    out.push(s / 3);
  }
  return out;
};

describe('the 2007 state', () => {
  it('is identical whichever policy follows (levers start in 2007 or later)', () => {
    const snap = (name: string) => {
      const sc = loadScenario(name);
      const m = model(world(400, 9, sc.params), sc.params, 1, 9);
      m.initialise();
      return { att: Array.from(m.s.attainment), imp: Array.from(m.s.improveAtt), beh: Array.from(m.s.improveBeh), n: m.s.history.n, count: m.s.parts.count, trust: Array.from(m.s.parts.trust.subarray(0, m.s.parts.high)) };
    };
    const base = snap('baseline');
    expect(base.count).toBeGreaterThan(150);
    expect(base.imp.some((x) => x > 0)).toBe(true);
    for (const name of ['cost-benefit-review', 'funding-withdrawn', 'stop-partnering-2007', 'statutory-behaviour-partnerships', 'imposed-forms']) expect(snap(name), name).toEqual(base);
    const never = snap('no-partnering');
    expect(never.n).toBe(0);
    expect(never.imp.every((x) => x === 0)).toBe(true);
  });
});

describe('a stationary baseline', () => {
  const A = runModel(task('baseline'));
  const B = runModel(task('no-partnering'));
  const S = runModel(task('stop-partnering-2007'));

  it('the share partnering moves less than 5 points between the first and last year', () => {
    const share = yearly(A, 'share_any_partnership');
    expect(share[0]).toBeGreaterThan(0.6);
    expect(Math.abs(share[9] - share[0])).toBeLessThan(0.05);
  });

  it('partnering\'s effect on mean attainment (baseline - no-partnering) is at its steady level from the first year', () => {
    const a = yearly(A, 'attainment_mean');
    const b = yearly(B, 'attainment_mean');
    const d = a.map((x, y) => x - b[y]);
    expect(d[0]).toBeGreaterThan(0.5);
    expect(Math.max(...d) - Math.min(...d)).toBeLessThan(0.75);
  });

  it('stopping in 2007 keeps the improvements already built, which fade: between baseline and never-partnered', () => {
    const a = yearly(A, 'attainment_mean');
    const b = yearly(B, 'attainment_mean');
    const s = yearly(S, 'attainment_mean');
    // In 2007-08 the stocks are nearly all still there; by the end they have faded towards never-partnered.
    expect(s[0] - b[0]).toBeGreaterThan(0.6 * (a[0] - b[0]));
    expect(s[9] - b[9]).toBeLessThan(0.6 * (s[0] - b[0]));
    expect(s[9]).toBeGreaterThan(b[9]);
  });
});
