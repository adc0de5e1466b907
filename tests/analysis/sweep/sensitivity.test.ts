import { afterAll, describe, expect, it } from 'vitest';
import { validateReportData } from '../../../analysis/report/data.js';
import { pointSummaries, sweepReportData, tCritical } from '../../../analysis/sweep/summary.js';
import type { SweepPlan } from '../../../analysis/sweep/plan.js';
import type { SweepStore } from '../../../analysis/sweep/store.js';
import { sensitivityCommand, sensitivityOf, sensitivityTable } from '../../../cli/commands/sweep.js';
import { storeFrom, removeTempDirs } from './helpers.js';
import { METRICS } from '../../../sim/metrics.js';

afterAll(removeTempDirs);

/** Ishigami (a = 7, b = 0.1) on [-π, π]^3, and its analytic first-order and total indices. */
const A = 7;
const B = 0.1;
const ishigami = (x: number[]): number => Math.sin(x[0]) + A * Math.sin(x[1]) ** 2 + B * x[2] ** 4 * Math.sin(x[0]);
const V1 = 0.5 * (1 + (B * Math.PI ** 4) / 5) ** 2;
const V2 = (A * A) / 8;
const V13 = B * B * Math.PI ** 8 * (1 / 18 - 1 / 50);
const V = V1 + V2 + V13;
const S1 = [V1 / V, V2 / V, 0];
const ST = [(V1 + V13) / V, V2 / V, V13 / V];

/** Record f(point values) for every run, in one transaction per 4,096 runs (the sweep itself commits run by run). */
async function fill(store: SweepStore, plan: SweepPlan, f: (values: number[], replication: number) => number[]): Promise<void> {
  for (let k = 0; k < plan.runs.length; k += 4096) {
    const runs = plan.runs.slice(k, k + 4096);
    await store.recordRuns(
      runs.map((r) => r.id),
      runs.map((r) => f(plan.points[r.point].values as number[], r.replication)),
    );
  }
}

describe('sensitivity from a sweep folder', () => {
  it('recovers the Ishigami function\'s S1 and ST (Saltelli n = 2048 in 8 scrambled replicates, written through the store): intervals cover the truth', async () => {
    // Three parameters with range [0, 1], mapped to [-π, π]: the store and the command's read path see ordinary runs.
    const { store, plan, dir } = await storeFrom(`
name: ishigami
description: synthetic outputs
scenario: baseline
parameters:
  trust.gain: {range: {min: 0, max: 1}}
  trust.breach: {range: {min: 0, max: 1}}
  trust.initial: {range: {min: 0, max: 1}}
design: {type: sobol, n: 2048}
outcomes: [attainment_mean]
`);
    await fill(store, plan, (v) => [ishigami(v.map((u) => -Math.PI + 2 * Math.PI * u))]);
    await store.close();
    const r = await sensitivityOf(dir);
    expect(r.parameters).toEqual(['trust.gain', 'trust.breach', 'trust.initial']);
    const rows = r.outcomes[0].sobol!;
    expect(r.outcomes[0].replicates).toBe(8);
    rows.forEach((row, i) => {
      expect(Math.abs(row.S1 - S1[i]), `S1 ${row.parameter} = ${row.S1}`).toBeLessThan(0.05);
      expect(Math.abs(row.ST - ST[i]), `ST ${row.parameter} = ${row.ST}`).toBeLessThan(0.02);
      expect(row.S1low <= S1[i] && S1[i] <= row.S1high, `S1 ${row.parameter} [${row.S1low}, ${row.S1high}]`).toBe(true);
      expect(row.STlow <= ST[i] && ST[i] <= row.SThigh, `ST ${row.parameter} [${row.STlow}, ${row.SThigh}]`).toBe(true);
    });
    expect(Number.isNaN(r.outcomes[0].noiseShare)).toBe(true); // one replication: no noise estimate
    const table = sensitivityTable(r);
    expect(table).toMatch(/Mean attainment at 14 \(attainment_mean/);
    expect(table).toMatch(/trust\.breach\s+0\.4\d\d\s+\[0\.\d+, 0\.\d+\]\s+0\.4\d\d/);
    let printed = '';
    await sensitivityCommand({ dir, json: true }, { print: (t) => (printed += t) });
    const doc = JSON.parse(printed) as { outcomes: { sobol: { S1: number }[] }[] };
    expect(doc.outcomes[0].sobol[1].S1).toBeCloseTo(rows[1].S1, 12);
  });

  it('gives Morris mu* per full range: exact for a linear function, zero for an unused parameter', async () => {
    const { store, plan, dir } = await storeFrom(`
name: linear
description: synthetic outputs
scenario: baseline
parameters:
  trust.gain: {range: {min: 0.2, max: 0.6}}
  trust.breach: {range: {min: 0, max: 1}}
  formation.candidates: {range: {min: 2, max: 12}}
design: {type: morris, trajectories: 6}
replications: 2
outcomes: [attainment_mean, trust_mean]
`);
    // 3 per unit of trust.gain (1.2 over its range of 0.4), -2 over the range of candidates (integer steps), plus noise by replication.
    await fill(store, plan, (v, rep) => [3 * v[0] + 0 * v[1] + (rep - 0.5) * 1e-3, -0.2 * v[2]]);
    await store.close();
    const r = await sensitivityOf(dir);
    const [att, trust] = r.outcomes;
    expect(att.morris![0].muStar).toBeCloseTo(1.2, 10);
    expect(att.morris![0].mu).toBeCloseTo(1.2, 10);
    expect(att.morris![0].sigma).toBeCloseTo(0, 10);
    expect(att.morris![1].muStar).toBeCloseTo(0, 10);
    expect(trust.morris![2].mu).toBeLessThan(0);
    expect(att.noiseShare).toBeGreaterThan(0);
    expect(sensitivityTable(r)).toMatch(/mu\*/);
  });

  it('refuses designs without indices and incomplete sweeps, naming the folder', async () => {
    const grid = await storeFrom('name: g\ndescription: d\nscenario: baseline\nparameters:\n  trust.gain: {levels: [0.1, 0.2]}\ndesign: {type: grid}\n');
    await grid.store.close();
    await expect(sensitivityOf(grid.dir)).rejects.toThrow(/sensitivity indices need a sobol or morris design; this sweep's design is grid/);
    const part = await storeFrom('name: s\ndescription: d\nscenario: baseline\nparameters:\n  trust.gain: {range: {min: 0, max: 1}}\ndesign: {type: sobol, n: 4}\n');
    await part.store.recordRun(part.plan.runs[0].id, new Array(METRICS.length).fill(1));
    await part.store.close();
    await expect(sensitivityOf(part.dir)).rejects.toThrow(new RegExp(`${part.dir}: the sweep is incomplete: ${part.plan.runs.length - 1} of ${part.plan.runs.length} runs`));
  });
});

describe('point summaries and report data', () => {
  it('t critical values (SciPy 1.17 stats.t.ppf(0.975, df))', () => {
    expect(tCritical(19)).toBeCloseTo(2.0930240544083087, 12);
    expect(tCritical(1)).toBeCloseTo(12.7062, 3);
    expect(tCritical(4)).toBeCloseTo(2.7764, 4);
    expect(tCritical(1000)).toBeCloseTo(1.9623, 3);
  });

  it('mean and 95% t interval across replications per point, and a valid ReportData', async () => {
    const { store, plan, dir } = await storeFrom(`
name: rd
description: d
scenario: baseline
parameters:
  trust.gain: {range: {min: 0.02, max: 0.2}}
  levers.noPartnering.enabled: {levels: [false, true]}
design: {type: sobol, n: 8}
replications: 3
outcomes: [attainment_mean]
`);
    // Replication noise (0, 0.01, 0.02) small beside the signal, so the noise-corrected indices exist.
    await fill(store, plan, (v, rep) => [10 * v[0] + 0.01 * rep]);
    const m = { outcomes: store.outcomes, ...(await store.matrix(plan)) };
    await store.close();
    const s = pointSummaries(plan, m);
    expect(s).toHaveLength(plan.points.length);
    const p0 = s[0];
    const x = 10 * (plan.points[0].values[0] as number);
    expect(p0.mean).toBeCloseTo(x + 0.01, 12);
    expect(p0.high - p0.mean).toBeCloseTo(tCritical(2) * Math.sqrt(1e-4 / 3), 10);
    const r = await sensitivityOf(dir);
    expect(r.outcomes[0].noiseShare).toBeGreaterThan(0);
    expect(r.outcomes[0].noiseShare).toBeLessThan(0.01);
    const data = validateReportData(sweepReportData(plan, m, { tool: 'partnersim' }, { name: 'baseline', description: 'b' }, r));
    expect(data.kind).toBe('sweep');
    expect(data.sweep!.parameters).toEqual([
      { name: 'trust.gain', min: 0.02, max: 0.2 },
      { name: 'levers.noPartnering.enabled', min: 0, max: 1 },
    ]);
    expect(data.sweep!.points[0].params).toEqual({ 'trust.gain': plan.points[0].values[0], 'levers.noPartnering.enabled': Number(plan.points[0].values[1]) });
    expect(data.sweep!.sobol!.map((x) => x.parameter)).toEqual(['trust.gain', 'levers.noPartnering.enabled']);
  });
});
