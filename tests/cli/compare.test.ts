/**
 * compare and report end to end: identical bytes whatever the thread count, the JSON
 * document's contents, the files --out writes, and user text escaped in the charts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuilt } from './run-cli.js';
import { METRICS } from '../../sim/metrics.js';

let dir = '';
beforeAll(() => {
  requireBuilt();
  dir = mkdtempSync(join(tmpdir(), 'partnersim-compare-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = ['--reps', '6', '--seed', '3', '--schools', '300', '--years', '3'];

describe('scenarioList', () => {
  it('expands `all` to every built-in scenario, also beside other names, baseline first and no duplicates', async () => {
    const { scenarioList } = await import('../../cli/commands/compare.js');
    const { builtinNames } = await import('../../scenarios/loader.js');
    const list = scenarioList('all,no-partnering', 'baseline');
    expect(list[0]).toBe('baseline');
    expect([...list].sort()).toEqual(builtinNames());
  });
});

describe('partnersim compare', () => {
  it('prints identical bytes with 1 and 2 threads, without the spin-up cache and without the thread anchor, holding quantiles, differences with intervals and test p-values', async () => {
    const args = ['compare', '--scenarios', 'incentivise-high-performers,funding-withdrawn', ...small, '--json'];
    // The 1-thread run has no anchor model (workers/task.ts): it must change no number.
    const [one, two, uncached] = await Promise.all([cli([...args, '--threads', '1'], undefined, { PARTNERSIM_ANCHOR: '0' }), cli([...args, '--threads', '2']), cli([...args, '--threads', '2'], undefined, { PARTNERSIM_SPINUP_CACHE: '0' })]);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(uncached.code).toBe(0);
    expect(one.stdout).toBe(two.stdout);
    // Every task building its own spin-up gives the same bytes as scenarios sharing their replication's.
    expect(uncached.stdout).toBe(one.stdout);
    const doc = JSON.parse(one.stdout);
    expect(doc.baseline).toBe('baseline');
    for (const sc of ['incentivise-high-performers', 'funding-withdrawn']) {
      const r = doc.results[sc].attainment_mean;
      for (const k of ['mean', 'median', 'q05', 'q25', 'q75', 'q95', 'sd']) expect(Number.isFinite(r.summary[k])).toBe(true);
      const base = doc.results.baseline.attainment_mean.summary.mean;
      expect(r.pairedMean).toBeCloseTo(r.summary.mean - base, 9);
      expect(r.tInterval[0]).toBeLessThanOrEqual(r.pairedMean);
      expect(r.tInterval[1]).toBeGreaterThanOrEqual(r.pairedMean);
      expect(r.bcaInterval.resamples).toBeGreaterThanOrEqual(2000);
      expect(r.bcaInterval.mcError.low).toBeGreaterThanOrEqual(0);
      for (const k of ['wilcoxonP', 'permutationP', 'adjustedP']) {
        expect(r[k]).toBeGreaterThan(0);
        expect(r[k]).toBeLessThanOrEqual(1);
      }
      expect(r.adjustedP).toBeGreaterThanOrEqual(r.wilcoxonP);
      expect(r.adjust).toBe('holm');
      expect(r.testsInFamily).toBe(doc.family.tests);
      expect(Number.isFinite(r.cohensD) && Number.isFinite(r.dz)).toBe(true);
      expect(r.unpaired.ks.p).toBeGreaterThanOrEqual(0);
      expect(r.unpaired.mannWhitney.p).toBeLessThanOrEqual(1);
    }
    // 3 scenarios besides the baseline x every outcome, less the 3 per-partnership measures no-partnering lacks.
    expect(doc.family.tests).toBe(3 * doc.outcomes.length - 3);
    expect(doc.results['no-partnering'].partnership_mean_size.notApplicable).toMatch(/does not exist/);
    // The counterfactual runs too, giving cost per attainment point gained, in its own section.
    const cpp = doc.costPerPoint.rows.find((x: { scenario: string }) => x.scenario === 'incentivise-high-performers');
    expect(cpp.estimate).toBeCloseTo(cpp.meanCost / cpp.meanGain, 9);
    expect(doc.results['incentivise-high-performers'].cost_per_point).toBeUndefined();
    expect(doc.breakdowns.some((b: { group: string }) => b.group === 'fsm_quartile')).toBe(true);
  });

  it('writes tidy replications and comparison files and a report that escapes user text', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const file = join(dir, 'evil.yaml');
    writeFileSync(file, `name: "${evil}"\ndescription: "a scenario whose name is HTML"\nextends: baseline\nlevers:\n  clearObjectives:\n    enabled: true\n`);
    const out = join(dir, 'out');
    const r = await cli(['compare', '--scenarios', file, ...small, '--out', out, '--report']);
    expect(r.code).toBe(0);
    const reps = readFileSync(join(out, 'replications.csv'), 'utf8').trim().split('\n');
    expect(reps[0]).toBe('scenario,rep,outcome,value');
    // baseline, the scenario and no-partnering, 6 replications each, every metric
    expect(reps.length - 1).toBe(3 * 6 * METRICS.length);
    const cmp = readFileSync(join(out, 'comparison.csv'), 'utf8').split('\n');
    for (const col of ['unit', 'paired_mean', 't_low', 'bca_low', 'wilcoxon_p', 'permutation_p', 'adjusted_p', 'tests_in_family', 'cohens_d', 'd_z', 'unpaired_ks_p']) expect(cmp[0].split(',')).toContain(col);
    expect(readFileSync(join(out, 'cost_per_point.csv'), 'utf8').split('\n')[0]).toBe('scenario,mean_cost,mean_gain,cost_per_point,low,high,resamples,undefined_resamples,note');
    const charts = readdirSync(join(out, 'charts'));
    expect(charts.filter((f) => f.endsWith('.vl.json')).length).toBeGreaterThanOrEqual(8);
    expect(charts.filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(8);
    const svg = readFileSync(join(out, 'charts', 'differences-1.svg'), 'utf8') // the all-outcome chart comes in parts of six outcomes;
    expect(svg).toContain('&lt;img');
    expect(svg).not.toContain('<img');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toContain(evil);
    expect(readdirSync(out).some((f) => f.endsWith('.tmp') || f.includes('partial'))).toBe(false);
  });

  it('--reps 1 exits 0, prints means and single differences, and says intervals and tests need more replications', async () => {
    const r = await cli(['compare', '--scenarios', 'funding-withdrawn', '--reps', '1', '--seed', '3', '--schools', '300', '--years', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/need at least 2 replications and the BCa interval at least 3/);
    expect(r.stdout).toMatch(/Mean attainment at 14 +points/);
    expect(r.stdout).toMatch(/n\/a/);
    expect(r.stdout).not.toMatch(/\*\s*$/m);
  });

  it('--adjust bh and none change the adjusted p; a bad value exits 2', async () => {
    const base = ['compare', '--scenarios', 'funding-withdrawn', '--reps', '4', '--seed', '3', '--schools', '300', '--years', '3', '--json', '--threads', '1'];
    const [bh, none, bad] = await Promise.all([cli([...base, '--adjust', 'bh']), cli([...base, '--adjust', 'none']), cli([...base, '--adjust', 'bonferroni'])]);
    const r1 = JSON.parse(bh.stdout).results['funding-withdrawn'].attainment_mean;
    const r2 = JSON.parse(none.stdout).results['funding-withdrawn'].attainment_mean;
    expect(r1.adjust).toBe('bh');
    expect(r2.adjustedP).toBe(r2.wilcoxonP);
    expect(r1.adjustedP).toBeGreaterThanOrEqual(r1.wilcoxonP);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--adjust/);
  });

  it('refuses --report without --out, and bad counts, with exit code 2', async () => {
    const a = await cli(['compare', '--scenarios', 'funding-withdrawn', '--report']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--report/);
    const b = await cli(['compare', '--scenarios', 'funding-withdrawn', '--reps', '0']);
    expect(b.code).toBe(2);
    expect(b.stderr).not.toMatch(/\n\s+at /);
  });
});
