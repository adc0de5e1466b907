/**
 * calibrate and compare --posterior end to end (small worlds): the evaluation's JSON
 * (every target with its kind; J, df, converged), a short fit writing provenance and
 * a parameter sample, and compare with that sample: identical at 1 and 2 threads,
 * the file's sha256 in the manifest, bad files refused with exit code 2.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuilt, ROOT } from './run-cli.js';

let dir = '';
beforeAll(() => {
  requireBuilt();
  dir = mkdtempSync(join(tmpdir(), 'partnersim-calibrate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('partnersim calibrate --evaluate --json', () => {
  it('gives every target its kind, figure, simulated value, range and verdict, with J, df and convergence', async () => {
    const r = await cli(['calibrate', '--evaluate', '--json', '--reps', '2', '--schools', '400', '--threads', '1']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.targets.length).toBeGreaterThan(15);
    for (const t of doc.targets) {
      expect(['fitted', 'input', 'check']).toContain(t.kind);
      for (const k of ['target', 'simulated', 'low', 'high']) expect(typeof t[k]).toBe('number');
      expect(typeof t.within).toBe('boolean');
    }
    const kind = (id: string) => doc.targets.find((t: { id: string }) => t.id === id).kind;
    for (const id of ['funding_continue', 'funding_seek', 'funding_end', 'not_an_issue', 'protocol_days_fall', 'protocol_permanent_fall', 'behaviour_inadequate', 'behaviour_satisfactory']) expect(kind(id)).toBe('input');
    expect(typeof doc.J).toBe('number');
    expect(doc.df).toBe(doc.moments - doc.parameters);
    expect(doc.moments).toBe(doc.targets.filter((t: { inJ: boolean }) => t.inJ).length);
    expect('chiSquareP' in doc).toBe(doc.df > 0);
    expect(typeof doc.converged).toBe('boolean');
    // Fresh unless the shipped fit used the evaluation's default seed (1).
    const shipped = parse(readFileSync(join(ROOT, 'scenarios', 'baseline.yaml'), 'utf8')).calibration;
    expect(doc.freshSeeds).toBe(String(shipped?.seed) !== '1');
    expect(doc.seed).toBe(1);
    expect(doc.fittedParameters.length).toBe(doc.parameters);
  });
});

describe('partnersim calibrate (a short fit) and compare --posterior', () => {
  let scenario = '';
  let posterior = '';

  it('writes the fitted values with provenance, and a parameter sample', async () => {
    scenario = join(dir, 'baseline.yaml');
    posterior = join(dir, 'posterior.json');
    copyFileSync(join(ROOT, 'scenarios', 'baseline.yaml'), scenario);
    const r = await cli(['calibrate', '--budget', '12', '--newton', '1', '--reps', '2', '--schools', '300', '--write', scenario, '--posterior-out', posterior]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/NOT converged|converged/);
    const doc = parse(readFileSync(scenario, 'utf8'));
    const c = doc.calibration;
    expect(c.seed).toBe(1001);
    // The start, one Levenberg-Marquardt iteration (9 Jacobian columns and up to 4 trial steps), then at most 12 simplex evaluations.
    expect(c.newton.iterations).toBeLessThanOrEqual(1);
    expect(c.newton.evaluations).toBeLessThanOrEqual(9 + 4);
    expect(c.evaluations).toBeLessThanOrEqual(1 + c.newton.evaluations + 12);
    expect(typeof c.converged).toBe('boolean');
    expect(c.converged).toBe(false); // 12 simplex evaluations cannot meet the simplex criterion for 9 parameters
    expect(typeof c.iterations).toBe('number');
    expect(c.df).toBe(c.moments - c.parameters);
    expect(c.posterior.sha256).toBe(createHash('sha256').update(readFileSync(posterior)).digest('hex'));
    const post = JSON.parse(readFileSync(posterior, 'utf8'));
    expect(post.parameters.length).toBe(c.parameters);
    for (const p of post.parameters) expect(c.estimates[p]).toBeDefined();
    // Inputs are set in closed form: exp(-costElasticity × 3.345) = 0.59.
    expect(Math.exp(-doc.parameters.exclusions.costElasticity * 3.345)).toBeCloseTo(0.59, 3);
  });

  it('compare --posterior: identical results at 1 and 2 threads, the sample recorded in the manifest, different from no sample', async () => {
    // A sample whose rows differ a lot, so the draw matters.
    const sample = join(dir, 'wide.json');
    writeFileSync(
      sample,
      JSON.stringify({ kind: 'partnersim-parameter-sample', version: 1, method: 'test', parameters: ['formation.initiationRate'], estimate: [0.3], draws: [[0.1], [0.8]] }),
    );
    const args = ['compare', '--scenarios', 'funding-withdrawn', '--reps', '4', '--seed', '3', '--schools', '300', '--years', '2', '--json'];
    const [one, two, none] = await Promise.all([cli([...args, '--posterior', sample, '--threads', '1']), cli([...args, '--posterior', sample, '--threads', '2']), cli([...args, '--threads', '1'])]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toBe(two.stdout);
    const doc = JSON.parse(one.stdout);
    expect(doc.manifest.posterior.sha256).toBe(createHash('sha256').update(readFileSync(sample)).digest('hex'));
    expect(doc.manifest.posterior.file).toBe(sample);
    expect(doc.manifest.posterior.rows).toBe(2);
    const plain = JSON.parse(none.stdout);
    expect(plain.manifest.posterior).toBeUndefined();
    const share = (d: { results: Record<string, Record<string, { summary: { sd: number } }>> }) => d.results.baseline.share_attainment_partnership.summary.sd;
    // Replications drawn at initiation rates 0.1 and 0.8 spread far wider than one rate's noise.
    expect(share(doc)).toBeGreaterThan(3 * share(plain));
  });

  it('refuses a file that is not a parameter sample, naming it, with exit code 2', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ kind: 'partnersim-parameter-sample', version: 1, parameters: ['formation.initiationRate'], draws: [[2]] }));
    const r = await cli(['compare', '--scenarios', 'funding-withdrawn', '--reps', '2', '--schools', '300', '--years', '2', '--posterior', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(bad);
    expect(r.stderr).toMatch(/draws\[0\]\[0\]: formation\.initiationRate: expected a number from 0 to 1/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
