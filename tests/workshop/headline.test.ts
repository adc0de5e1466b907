/**
 * The workshop page's pure parts: lever controls cover the report's levers with
 * citations; the scenario file the controls stand for parses with the CLI's schema
 * and keeps every value; the command line; the charts' scenario styles (distinct
 * colour and shape, baseline black); and the sentences quote the comparison.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARAM_TREE, defaultParams } from '../../sim/params.js';
import { M, METRICS } from '../../sim/metrics.js';
import { parseScenarioText } from '../../scenarios/resolve.js';
import { loadScenario } from '../../scenarios/loader.js';
import { CompareAggregator, compare } from '../../analysis/compare.js';
import { commandLine, leverControls, policyDocument, policyYaml, POLICY_NAME, academicYear } from '../../workshop/levers.js';
import { differenceOf, fmt, headlineData, headlineSentences, headlineSpecs } from '../../workshop/headline.js';
import type { TaskRecord } from '../../workers/task.js';

describe('leverControls', () => {
  it('offers every policy lever the NAO report discusses (not the model counterfactuals), each with a plain-English label and citation', () => {
    const ids = leverControls().map((c) => c.id).sort();
    const levers = PARAM_TREE.levers as unknown as Record<string, { enabled: { source: string } }>;
    expect(ids).toEqual(Object.keys(levers).filter((k) => levers[k].enabled.source.startsWith('NAO')).sort());
    for (const c of leverControls()) for (const st of c.settings) expect(st.label, `${c.id}.${st.key}`).not.toBe(st.key);
    for (const c of leverControls()) {
      expect(c.cite, c.id).toMatch(/^NAO report, /);
      expect(c.settings[0].kind).toBe('switch');
      expect(c.settings[1].kind).toBe('year');
    }
    expect(leverControls().find((c) => c.id === 'incentiveHighPerformers')!.cite).toBe('NAO report, para 21e');
    expect(leverControls().find((c) => c.id === 'mandatedPairing')!.cite).toBe('NAO report, Case Example 6');
  });

  it.each([
    [2009, '2009-10'],
    [1999, '1999-00'],
  ])('academic year %i is %s', (y, s) => expect(academicYear(y)).toBe(s));
});

describe('the scenario the controls stand for', () => {
  it('parses with the CLI schema and resolves to exactly the values set', () => {
    const levers = defaultParams().levers;
    levers.incentiveHighPerformers = { enabled: true, startYear: 2008, strength: 1.2 };
    levers.mandatedPairing = { enabled: true, startYear: 2010, share: 0.35 };
    const text = policyYaml(policyDocument({ extends: 'clear-objectives' }, levers, 'made in a test'));
    const doc = parseScenarioText(text, 'p.yaml');
    expect(doc.name).toBe(POLICY_NAME);
    expect(doc.extends).toBe('clear-objectives');
    const dir = mkdtempSync(join(tmpdir(), 'ws-'));
    writeFileSync(`${dir}/p.yaml`, text);
    const sc = loadScenario(`${dir}/p.yaml`);
    expect(sc.params.levers.incentiveHighPerformers).toEqual({ enabled: true, startYear: 2008, strength: 1.2 });
    expect(sc.params.levers.mandatedPairing).toEqual({ enabled: true, startYear: 2010, share: 0.35 });
    // the controls write every lever, so clear-objectives' own switch follows the page (off here)
    expect(sc.params.levers.clearObjectives.enabled).toBe(false);
    expect(sc.params.formation).toEqual(loadScenario('baseline').params.formation);
  });

  it('gives the command line that reruns it', () => {
    expect(commandLine('x.yaml', { seed: 3, schools: 600, years: 5, reps: 8 })).toBe('npx partnersim compare --scenarios x.yaml --reps 8 --seed 3 --schools 600 --years 5 --json');
  });
});

describe('headline charts', () => {
  const names = { baseline: 'baseline', policy: POLICY_NAME, policyLabel: 'This policy' };

  it('give every scenario its own colour and shape in every chart, the baseline black', () => {
    for (const h of headlineSpecs(names)) {
      const scales: { domain: string[]; color?: string[]; shape?: string[] } = { domain: [] };
      const walk = (x: unknown): void => {
        if (Array.isArray(x)) return x.forEach(walk);
        if (x && typeof x === 'object') {
          const o = x as Record<string, unknown>;
          for (const k of ['color', 'shape'] as const) {
            const enc = o[k] as { field?: string; scale?: { domain: string[]; range: string[] } } | undefined;
            if (enc?.field === 'who' && enc.scale) {
              scales.domain = enc.scale.domain;
              scales[k] = enc.scale.range;
            }
          }
          Object.values(o).forEach(walk);
        }
      };
      walk(h.spec);
      expect(scales.color, h.id).toBeDefined();
      expect(scales.shape, h.id).toBeDefined();
      const pairs = scales.domain.map((_, i) => `${scales.color![i]}|${scales.shape![i]}`);
      expect(new Set(pairs).size, h.id).toBe(scales.domain.length);
      expect(new Set(scales.color).size, h.id).toBe(scales.domain.length);
      expect(scales.color![0]).toBe('#000000');
    }
  });

  it('quote the paired difference and interval from the comparison, the share partnering and the cost per point gained', () => {
    const scs = ['baseline', POLICY_NAME, 'no-partnering'];
    const agg = new CompareAggregator(scs, 4, 2);
    const k = METRICS.length;
    // attainment: policy = baseline + 0.3, 0.5, 0.1, 0.3 (mean 0.3); identical costs, so cost per point is n/a for the baseline
    const add = [0.3, 0.5, 0.1, 0.3];
    scs.forEach((sc, s) => {
      for (let r = 0; r < 4; r++) {
        const outcomes = new Array<number>(k).fill(1);
        outcomes[M.attainment_mean] = 100 + r + (s === 1 ? add[r] : s === 2 ? -1 : 0);
        outcomes[M.money_cost] = s === 2 ? 0 : 1000;
        const yearly = new Array<number>(2 * k).fill(0.5);
        const rec: TaskRecord = { id: s * 4 + r, scenario: sc, point: 0, replication: r, outcomes, yearly, breakdown: new Array(2 * 4 * 3).fill(0) };
        agg.add(rec);
      }
    });
    const c = compare(agg, 'baseline', 1);
    const d = differenceOf(c, POLICY_NAME, 'attainment_mean')!;
    expect(c.results[POLICY_NAME].attainment_mean.tInterval![0]).toBe(d.low);
    expect(d.estimate).toBeCloseTo(0.3, 12);
    const s = headlineSentences(agg, names, 2007, c);
    expect(s.attainment_mean).toBe(`Under this policy, attainment at 14 is 0.30 points higher than under the baseline (95% interval ${fmt(d.low)} to ${fmt(d.high)}).`);
    expect(s.share_over_time).toBe('In 2008-09, 50% of schools are in a partnership under this policy, against 50% under the baseline (medians over the replications).');
    // cost per point: policy 1000 / 1.3 per point; baseline 1000 / 1
    expect(s.cost_per_point).toMatch(/^Each attainment point gained over no partnering costs £769 per school per year under this policy .*against £1,000 under the baseline\.$/);
    const data = headlineData(agg, names, 2007, c);
    expect(data.attainment_mean.reps.map((x) => x.diff as number).map((x) => Math.round(x * 10) / 10)).toEqual(add);
  });

  it.each([
    [0.3, 2, '0.30'],
    [-0.25, 2, '−0.25'],
    [-0.001, 2, '0.00'],
    [12345.678, 1, '12,345.7'],
    [NaN, 2, 'n/a'],
  ])('fmt(%f, %i) is %s', (x, d, want) => expect(fmt(x, d)).toBe(want));
});
