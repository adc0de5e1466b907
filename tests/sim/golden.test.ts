/**
 * Golden values of a seeded run, reproducibility, and common random numbers.
 *
 * The golden numbers pin behaviour: they were computed once by running this code
 * (300 schools, 3 years, seed 42, baseline) and pasted in. Any change to the model's
 * draws or mechanisms moves them; when that is intended, rerun and update them
 * deliberately, saying why in the commit.
 */
import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../sim/params.js';
import { M } from '../../sim/metrics.js';
import { runModel, worldFor, type Task } from '../../workers/task.js';
import { loadScenario } from '../../scenarios/loader.js';
import type { World } from '../../sim/world.js';

function task(seed: number | string, params = defaultParams(), schools = 300, years = 3): Task {
  return { id: 0, scenario: 'test', params, run: { years, stepsPerYear: 3, startYear: 2007, schools }, seed, point: 0, replication: 0 };
}

const sig6 = (x: number): number => Number(x.toPrecision(6));

describe('golden values: 300 schools, 3 years, seed 42', () => {
  const m = runModel(task(42));
  const o = m.outcomes();

  it('final-year outcomes to 6 significant digits', () => {
    const got = Object.fromEntries(GOLDEN_IDS.map((id) => [id, sig6(o[M[id]])]));
    expect(got).toEqual(GOLDEN);
  });

  it('partnership counts', () => {
    expect({ everFormed: m.s.history.n, running: m.s.parts.count }).toEqual(GOLDEN_COUNTS);
  });
});

// Pinned values (see the header). Final-year means of each metric.
// Re-pinned for a model change (issue 10): sharing partnerships' partner-independent gain
// (effects.sharedBaseGain), the behaviour partnership's attainment gain raised to 0.45, attendance
// swings with a key-stage lag (one more normal a school and step), and the refit that followed.
const GOLDEN_IDS = ['attainment_mean', 'attainment_sd', 'fsm_gap', 'exclusion_rate', 'permanent_exclusions', 'share_attainment_partnership', 'share_behaviour_partnership', 'partnerships_alive', 'trust_mean', 'staff_days', 'money_cost'];
const GOLDEN: Record<string, number> = {
  attainment_mean: 106.881,
  attainment_sd: 7.44717,
  fsm_gap: 5.73514,
  exclusion_rate: 7.3342,
  permanent_exclusions: 1.57305,
  share_attainment_partnership: 0.903333,
  share_behaviour_partnership: 0.655556,
  partnerships_alive: 88.6667,
  trust_mean: 0.545435,
  staff_days: 37.2363,
  money_cost: 21745.7,
};
// everFormed counts the spin-up's partnerships too (20 years before autumn 2007).
const GOLDEN_COUNTS = { everFormed: 1585, running: 271 };

describe('reproducibility', () => {
  it('the same seed twice gives identical timeseries; another seed differs', () => {
    const a = runModel(task(7, defaultParams(), 250, 2));
    const b = runModel(task(7, defaultParams(), 250, 2));
    const c = runModel(task(8, defaultParams(), 250, 2));
    expect(Array.from(a.timeseries)).toEqual(Array.from(b.timeseries));
    expect(Array.from(a.timeseries)).not.toEqual(Array.from(c.timeseries));
    expect(a.s.history.n).toBe(b.s.history.n);
  });
});

describe('common random numbers', () => {
  const WORLD_FIELDS: (keyof World)[] = ['la', 'laStart', 'pupils', 'fsm', 'sen', 'attendance', 'attainment', 'quality', 'behaviour', 'ofstedProgress', 'ofstedBehaviour', 'lastInspection', 'staffDays', 'keyPerson', 'feeders', 'x', 'y'];

  it('two scenarios\' replication 0 share the identical world, and identical runs until a lever starts', () => {
    const base = loadScenario('baseline');
    const protocol = loadScenario('exclusion-cost-protocol'); // starts 2009
    const run = { years: 3, stepsPerYear: 3, startYear: 2007, schools: 300 };
    const tb: Task = { id: 0, scenario: base.name, params: base.params, run, seed: 5, point: 0, replication: 0 };
    const tp: Task = { ...tb, scenario: protocol.name, params: protocol.params };
    const wb = worldFor(tb);
    const wp = worldFor(tp);
    for (const f of WORLD_FIELDS) expect(Array.from(wp[f] as ArrayLike<number>), f).toEqual(Array.from(wb[f] as ArrayLike<number>));
    const mb = runModel(tb);
    const mp = runModel(tp);
    const k = mb.timeseries.length / mb.steps;
    // 2007-08 and 2008-09: the same run, to the bit.
    expect(Array.from(mp.timeseries.subarray(0, 6 * k))).toEqual(Array.from(mb.timeseries.subarray(0, 6 * k)));
    // From 2009 the protocol cuts exclusions.
    expect(mp.timeseries[6 * k + M.exclusion_rate]).toBeLessThan(mb.timeseries[6 * k + M.exclusion_rate] * 0.8);
    // Another replication has another world.
    const other = worldFor({ ...tb, replication: 1 });
    expect(Array.from(other.attainment)).not.toEqual(Array.from(wb.attainment));
  });
});
