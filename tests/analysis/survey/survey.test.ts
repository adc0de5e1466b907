import { describe, expect, it } from 'vitest';
import { analyseSurvey, drawSample, NAO_SAMPLE } from '../../../analysis/survey/index.js';
import { defaultParams } from '../../../sim/params.js';
import { Rng } from '../../../sim/rng.js';
import { executeTask, type Task } from '../../../workers/task.js';
import type { SurveyAnswers } from '../../../sim/survey.js';

function answers(scenarioLevers: (p: ReturnType<typeof defaultParams>) => void, schools = 800): SurveyAnswers {
  const params = defaultParams();
  scenarioLevers(params);
  const task: Task = { id: 0, scenario: 's', params, run: { years: 2, stepsPerYear: 3, startYear: 2007, schools }, seed: 9, point: 0, replication: 0, survey: true };
  return executeTask(task).survey!;
}

describe('the virtual NAO survey', () => {
  const base = answers(() => {});

  it('draws the stated number of distinct schools, stratified by FSM quartile in proportion', () => {
    const sample = drawSample(base, 100, Rng.fromKey({ seed: 1, replication: 0, stream: 's' }));
    expect(sample.length).toBe(100);
    expect(new Set(sample).size).toBe(100);
    // Quartiles of FSM: 800 schools, 200 per stratum, so exactly 25 sampled from each.
    const order = Array.from({ length: base.n }, (_, i) => i).sort((a, b) => base.fsm[a] - base.fsm[b] || a - b);
    const stratum = new Map(order.map((i, r) => [i, Math.floor((r * 4) / base.n)]));
    const counts = [0, 0, 0, 0];
    for (const i of sample) counts[stratum.get(i)!]++;
    expect(counts).toEqual([25, 25, 25, 25]);
  });

  it('samples the NAO figure of 398 at the default size and never more than the population', () => {
    expect(NAO_SAMPLE).toBe(398);
    const all = drawSample(base, 5000, Rng.fromKey({ seed: 1, replication: 0, stream: 's' }));
    expect(all.length).toBe(base.n);
  });

  it('is reproducible from its seed and differs with another', () => {
    const a = drawSample(base, 50, Rng.fromKey({ seed: 1, replication: 0, stream: 's' }));
    const b = drawSample(base, 50, Rng.fromKey({ seed: 1, replication: 0, stream: 's' }));
    const c = drawSample(base, 50, Rng.fromKey({ seed: 2, replication: 0, stream: 's' }));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('compares partnering and non-partnering schools and puts the true effect beside each estimate', () => {
    const none = answers((p) => {
      p.levers.noPartnering.enabled = true;
    });
    const sample = drawSample(base, 300, Rng.fromKey({ seed: 1, replication: 0, stream: 's' }));
    const r = analyseSurvey(base, none, sample);
    expect(r.sampled).toBe(300);
    const fsm = r.comparisons.find((c) => c.measure === 'FSM share')!;
    // The comparison is a plain difference of sample means.
    expect(fsm.difference).toBeCloseTo(fsm.partnering - fsm.nonPartnering, 12);
    // The no-partnering world really has no partnerships, so every true effect is computed.
    expect(none.inAttainment.every((x) => x === 0)).toBe(true);
    for (const c of r.comparisons.slice(1)) expect(Number.isFinite(c.trueEffect)).toBe(true);
    // Five outcomes; the two Ofsted grades get the ordinal logit and, beside it, an OLS of the grade number.
    expect(r.regressions.map((t) => t.model)).toEqual(['ols', 'ols', 'ordinal logit', 'ols (grade as number)', 'ols', 'ordinal logit', 'ols (grade as number)']);
    const cva = r.regressions[0];
    expect(cva.error).toBeUndefined();
    expect(cva.coefficients.map((c) => c.name)).toContain('years in attainment partnership');
    for (const c of cva.coefficients) expect(Number.isFinite(c.trueEffect as number)).toBe(true);
    // Classical, HC1 and LA-clustered errors; p is the clustered one.
    expect(cva.clusters).toBeGreaterThan(1);
    for (const c of cva.coefficients) {
      for (const v of [c.se, c.seHC1, c.seCluster]) expect(v).toBeGreaterThan(0);
      expect(c.p).toBeGreaterThanOrEqual(0);
      expect(c.p).not.toBe(c.pClassical);
    }
    // Log-odds get no truth (another scale); the OLS of the grade number does.
    const logit = r.regressions.find((t) => t.model === 'ordinal logit' && !t.error);
    if (logit) for (const c of logit.coefficients) expect(c.trueEffect).toBeNull();
    const grade = r.regressions[3];
    for (const c of grade.coefficients) expect(Number.isFinite(c.trueEffect as number)).toBe(true);
  });
});
