/**
 * The four robust-run charts (issue 15): built from report data made by the real
 * pipeline functions (regret table, PRIM on a seeded synthetic data set), valid
 * vega-lite, projector rules (fonts, no meaning by colour alone, tooltips), drawn
 * within 1,280 px, and omitted with a reason when the data are absent.
 */
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildCharts, OKABE_ITO } from '../../../analysis/report/charts/index.js';
import { validateReportData, type ReportData } from '../../../analysis/report/data.js';
import { renderSpec } from '../../../analysis/report/render.js';
import { discover } from '../../../analysis/robust/discover.js';
import { robustSummary, type PolicyValues } from '../../../analysis/robust/metrics.js';
import { discoveryReport, robustReport } from '../../../analysis/robust/report-data.js';
import type { RobustPlan } from '../../../analysis/robust/plan.js';
import { Rng } from '../../../sim/rng.js';

const require = createRequire(import.meta.url);
const validate = new Ajv({ strict: false, allowUnionTypes: true, validateFormats: false }).compile(require('vega-lite/vega-lite-schema.json') as object);

function fixture(): ReportData {
  const rng = Rng.fromKey({ seed: 1, replication: 0, stream: 'robust-chart-fixture' });
  const nf = 40;
  const policies = ['baseline', 'funding-withdrawn', 'clear-objectives'];
  const x = [Array.from({ length: nf }, () => rng.next()), Array.from({ length: nf }, () => rng.next()), Array.from({ length: nf }, () => rng.next())];
  const effect = x[0].map((a, i) => a - 0.5 + 0.3 * x[1][i] + 0.05 * (rng.next() - 0.5));
  const pv: PolicyValues = {
    outcomes: ['attainment_mean', 'money_cost'],
    policies,
    futures: x[0].map((_, i) => i),
    values: [
      [x[0].map(() => 0), effect, effect.map((e) => e / 2 + 0.1)],
      [x[0].map(() => 0), x[0].map((a) => -3000 - 1000 * a), x[0].map(() => 200)],
    ],
    replications: x[0].map(() => 1),
  };
  const plan = { spec: { name: 'fixture', reference: 'baseline', replications: 1 }, futures: x[0].map((_, i) => ({ index: i })) } as unknown as RobustPlan;
  const summary = robustSummary(plan, pv);
  const d = discover('robust', 'fixture', 'funding-withdrawn', { outcome: 'attainment_mean', op: '<', value: 0 }, {
    inputs: ['trust.gain', 'effects.attainmentPerYear', 'world.staffDaysPerTerm'],
    bounds: [[0, 1], [0, 1], [0, 1]],
    x,
    values: effect,
    interesting: effect.map((e) => (e < 0 ? 1 : 0)),
    what: 'futures in which the effect is below 0',
  });
  return validateReportData({ kind: 'sweep', title: 'robust fixture', scenarios: policies.map((name) => ({ name, description: name })), robust: robustReport(pv, summary), discovery: discoveryReport(d) });
}

function walk(v: unknown, visit: (o: Record<string, unknown>, key: string) => void, key = ''): void {
  if (Array.isArray(v)) v.forEach((e) => walk(e, visit, key));
  else if (v && typeof v === 'object') {
    visit(v as Record<string, unknown>, key);
    for (const [k, e] of Object.entries(v)) walk(e, visit, k);
  }
}

const NAMES = ['robust-regret', 'prim-tradeoff', 'prim-limits', 'prim-scatter'];

describe('robust charts', () => {
  const { charts, omitted } = buildCharts(fixture());
  const mine = charts.filter((c) => NAMES.includes(c.name));

  it('draws all four from a robust run with a discovery', () => {
    expect(mine.map((c) => c.name)).toEqual(NAMES);
    expect(omitted.map((o) => o.name)).not.toContain('prim-scatter');
  });

  for (const name of NAMES) {
    it(`${name}: valid vega-lite, projector rules, within 1,280 px`, async () => {
      const c = mine.find((x) => x.name === name)!;
      expect(validate(c.spec), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      expect(c.title).toMatch(/^[A-Z].*\.$/);
      expect(c.reading.length).toBeGreaterThan(120);
      const channels = new Map<string, Set<string>>();
      let tooltips = 0;
      walk(c.spec, (o, key) => {
        for (const k of ['fontSize', 'labelFontSize', 'titleFontSize']) if (typeof o[k] === 'number') expect(o[k]).toBeGreaterThanOrEqual(14);
        if (typeof o.field === 'string') channels.set(o.field, (channels.get(o.field) ?? new Set()).add(key));
        if (o.tooltip !== undefined) tooltips++;
        if (key === 'color' && Array.isArray((o.scale as { range?: unknown } | undefined)?.range) && o.field === 'policy') for (const col of (o.scale as { range: string[] }).range) expect(OKABE_ITO).toContain(col);
      });
      expect(tooltips).toBeGreaterThan(0);
      for (const [field, ch] of channels) if (ch.has('color')) expect([...ch].filter((k) => !['color', 'fill', 'tooltip', 'opacity', ''].includes(k)).length, field).toBeGreaterThan(0);
      const r = await renderSpec(c.spec, { pngScale: 1 });
      expect(r.width).toBeLessThanOrEqual(1280);
      expect(r.svg).toContain('<svg');
    });
  }

  it('are omitted with a reason when the folder has no robust run or discovery', () => {
    const { omitted: om } = buildCharts(validateReportData({ kind: 'sweep', title: 'empty' }));
    for (const n of NAMES) expect(om.find((o) => o.name === n)?.omitted).toMatch(/robust run|discovery/);
  });
});
