/**
 * Experiment files: defaults and policy resolution, --quick, the hash, and one
 * table of bad inputs, each with the message that names the file, the field and
 * what was expected (the sweep files' style). Also that the shipped schema file is current.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../sim/errors.js';
import { experimentHash, loadExperiment } from '../../scenarios/experiment-loader.js';
import { experimentSchema } from '../../scenarios/experiment-schema.js';
import { expandRobustPlan } from '../../analysis/robust/plan.js';

const dir = mkdtempSync(join(tmpdir(), 'partnersim-experiment-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = `name: t
description: a test experiment
policies:
  - funding-withdrawn
  - name: objectives-now
    levers: {clearObjectives: {enabled: true, startYear: 2008}}
uncertainties:
  trust.gain: {range: {min: 0.03, max: 0.12}}
sampling: {type: lhs, points: 5}
`;

function file(text: string, name = 'e.yaml'): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

function errorOf(text: string, quick = false): string {
  try {
    loadExperiment(file(text, 'bad.yaml'), { quick });
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('loadExperiment', () => {
  it('resolves policies, adds the reference first, defaults outcomes and replications', () => {
    const { spec } = loadExperiment(file(BASE));
    expect(spec.arms.map((a) => [a.name, a.role, a.source.startsWith('builtin:') ? 'builtin' : a.source])).toEqual([
      ['baseline', 'policy', 'builtin'],
      ['funding-withdrawn', 'policy', 'builtin'],
      ['objectives-now', 'policy', 'inline'],
    ]);
    expect(spec.reference).toBe('baseline');
    expect(spec.arms[2].params.levers.clearObjectives).toEqual({ enabled: true, startYear: 2008 });
    expect(spec.arms[2].params.trust).toEqual(spec.arms[0].params.trust);
    expect(spec.outcomes).toEqual(['attainment_mean', 'fsm_gap', 'money_cost']);
    expect(spec.replications).toBe(1);
    expect(spec.uncertainties).toEqual([{ path: 'trust.gain', range: { min: 0.03, max: 0.12, log: false, integer: false } }]);
  });

  it('adds no-partnering as a counterfactual for cost_per_point, and stores what it needs', () => {
    const { spec } = loadExperiment(file(`${BASE}outcomes: [fsm_gap, cost_per_point]\n`));
    expect(spec.arms.at(-1)).toMatchObject({ name: 'no-partnering', role: 'counterfactual' });
    expect(spec.stored).toEqual(['attainment_mean', 'fsm_gap', 'money_cost']);
  });

  it('--quick replaces points, replications and run settings, and changes the hash', () => {
    const text = `${BASE}replications: 3\nrun: {years: 6, schools: 600}\nquick: {points: 2, replications: 1, run: {schools: 50}}\n`;
    const full = loadExperiment(file(text));
    const quick = loadExperiment(file(text), { quick: true });
    expect([full.spec.sampling.points, full.spec.replications, full.spec.run.schools, full.spec.run.years]).toEqual([5, 3, 600, 6]);
    expect([quick.spec.sampling.points, quick.spec.replications, quick.spec.run.schools, quick.spec.run.years]).toEqual([2, 1, 50, 6]);
    expect(quick.hash).not.toBe(full.hash);
    // the description does not change the hash; the seed does
    expect(experimentHash(loadExperiment(file(text.replace('a test experiment', 'reworded'))).spec)).toBe(full.hash);
    expect(loadExperiment(file(`${text}seed: 9\n`)).hash).not.toBe(full.hash);
  });

  it('samples futures deterministically (lhs keyed by the seed; sobol fixed) within the ranges', () => {
    const a = expandRobustPlan(loadExperiment(file(BASE)).spec);
    const b = expandRobustPlan(loadExperiment(file(BASE)).spec);
    expect(a.futures.map((f) => f.key)).toEqual(b.futures.map((f) => f.key));
    // Latin hypercube: one future in each fifth of the range
    expect(a.futures.map((f) => Math.floor(((f.values[0] - 0.03) / 0.09) * 5)).sort()).toEqual([0, 1, 2, 3, 4]);
    const s = expandRobustPlan(loadExperiment(file(BASE.replace('type: lhs', 'type: sobol'))).spec);
    // Sobol points after the origin: 0.5, 0.75, 0.25, 0.375, 0.875 of the range
    expect(s.futures.map((f) => Math.round(((f.values[0] - 0.03) / 0.09) * 1000) / 1000)).toEqual([0.5, 0.75, 0.25, 0.375, 0.875]);
    expect(a.runs).toHaveLength(5 * 3);
  });

  const bad: [string, string, RegExp][] = [
    ['unknown top-level key', `${BASE}replicatons: 2\n`, /bad\.yaml: replicatons: unknown key 'replicatons' \(did you mean 'replications'\?\)/],
    ['unknown uncertainty', BASE.replace('trust.gain:', 'trust.gian:'), /uncertainties\.trust\.gian: unknown parameter 'trust\.gian' \(did you mean 'trust\.gain'\?\)/],
    ['a lever as uncertainty', BASE.replace('trust.gain: {range: {min: 0.03, max: 0.12}}', 'levers.fundingWithdrawn.share: {range: {min: 0, max: 1}}'), /'levers\.fundingWithdrawn\.share' is a policy lever, not an uncertainty/],
    ['range outside the table', BASE.replace('max: 0.12', 'max: 3'), /uncertainties\.trust\.gain\.range\.max: expected a value from 0 to 1 \(the range of trust\.gain/],
    ['range downwards', BASE.replace('min: 0.03, max: 0.12', 'min: 0.12, max: 0.03'), /uncertainties\.trust\.gain\.range: expected min below max/],
    ['unknown policy', BASE.replace('- funding-withdrawn', '- funding-withdrawm'), /policies\[0\]: unknown scenario 'funding-withdrawm' \(did you mean 'funding-withdrawn'\?\)/],
    ['bad inline policy', BASE.replace('levers: {clearObjectives: {enabled: true, startYear: 2008}}', 'levers: {clearObjectivs: {enabled: true}}'), /policies\[1\]\.levers\.clearObjectivs: unknown key 'clearObjectivs' \(did you mean 'clearObjectives'\?\)/],
    ['duplicate names', BASE.replace('name: objectives-now', 'name: funding-withdrawn'), /policies\[1\]: policy name 'funding-withdrawn' is also the name of policies\[0\]/],
    ['unknown outcome', `${BASE}outcomes: [atainment_mean]\n`, /outcomes\[0\]: unknown outcome "atainment_mean" \(did you mean 'attainment_mean'\?\)/],
    ['bad sampling', BASE.replace('type: lhs', 'type: grid'), /sampling\.type: expected one of: lhs, sobol, got "grid"/],
    ['missing key', BASE.replace(/sampling: .*\n/, ''), /bad\.yaml: sampling: missing required key 'sampling'/],
    ['not YAML', `${BASE}  - : [\n`, /bad\.yaml: line \d+, column \d+: not valid YAML/],
    ['--quick without a quick block', BASE, /bad\.yaml: quick: the file has no quick: variant/],
    ['discover names an unknown policy', `${BASE}discover: {policy: nope, where: attainment_mean<0}\n`, /discover\.policy: unknown policy 'nope'/],
  ];
  for (const [what, text, msg] of bad) {
    it(`refuses ${what} with a message naming file and field`, () => {
      expect(errorOf(text, what.startsWith('--quick'))).toMatch(msg);
    });
  }
});

describe('scenarios/experiment.schema.json', () => {
  it('is current (regenerate with the command in docs/robust.md)', () => {
    expect(JSON.parse(readFileSync('scenarios/experiment.schema.json', 'utf8'))).toEqual(experimentSchema());
  });

  it('the shipped example loads, with its quick variant', () => {
    const full = loadExperiment('scenarios/experiments/partnering-policies.yaml');
    const quick = loadExperiment('scenarios/experiments/partnering-policies.yaml', { quick: true });
    expect(full.spec.arms.filter((a) => a.role === 'policy').map((a) => a.name)).toEqual([
      'baseline',
      'incentivise-high-performers',
      'funding-withdrawn',
      'cost-benefit-review',
      'clear-objectives',
      'exclusion-cost-protocol',
    ]);
    expect(quick.spec.sampling.points).toBeLessThan(full.spec.sampling.points);
  });
});
