/**
 * Chart specs: every spec built from the compare, run and sweep fixtures
 * validates against the vega-lite JSON schema shipped with vega-lite, meets the
 * projector rules (fonts, width, palette, redundant encodings, tooltips,
 * scenario picking), and charts without data are omitted with a reason. Also the
 * Kaplan–Meier helper and the report-data loader's errors.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildCharts, CHART_BUILDERS, kaplanMeier, OKABE_ITO, PICK_PARAM } from '../../../analysis/report/charts/index.js';
import { loadReportData, ReportInputError, validateReportData } from '../../../analysis/report/data.js';
import { compareFixture, runFixture, sweepFixture } from './fixture.js';

const require = createRequire(import.meta.url);
const schema = require('vega-lite/vega-lite-schema.json') as Record<string, unknown>;
const ajv = new Ajv({ strict: false, allowUnionTypes: true, validateFormats: false });
const validate = ajv.compile(schema);

const fixtures = { compare: compareFixture(), run: runFixture(), sweep: sweepFixture() };

/** Every object nested anywhere in `v`, with the key it sits under. */
function walk(v: unknown, visit: (o: Record<string, unknown>, key: string) => void, key = ''): void {
  if (Array.isArray(v)) v.forEach((x) => walk(x, visit, key));
  else if (v && typeof v === 'object') {
    visit(v as Record<string, unknown>, key);
    for (const [k, x] of Object.entries(v)) walk(x, visit, k);
  }
}

describe('chart specs', () => {
  it('the schema validator rejects a broken spec (sanity check)', () => {
    expect(validate({ mark: 'bogus', encoding: { x: { field: 'a', type: 'quantitative' } } })).toBe(false);
    expect(validate({ data: { values: [] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitativ' } } })).toBe(false);
    expect(validate({ data: { values: [] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } })).toBe(true);
  });

  for (const [kind, data] of Object.entries(fixtures)) {
    const { charts } = buildCharts(data);
    for (const c of charts) {
      it(`${kind}/${c.name} validates against the vega-lite schema`, () => {
        const ok = validate(c.spec);
        expect(ok, JSON.stringify(validate.errors?.slice(0, 3), null, 1)).toBe(true);
      });

      it(`${kind}/${c.name} is projector-ready and accessible`, () => {
        const spec = c.spec as unknown as Record<string, unknown>;
        expect(c.title).toMatch(/^[A-Z].*\.$/);
        expect(c.reading.length).toBeGreaterThan(120);
        expect(c.units.length).toBeGreaterThan(5);
        const cfg = spec.config as Record<string, Record<string, unknown>>;
        expect(cfg.font).toBe('DejaVu Sans');
        expect(cfg.title.fontSize).toBeGreaterThanOrEqual(18);
        for (const part of ['axis', 'legend', 'header']) {
          expect(cfg[part].labelFontSize, part).toBeGreaterThanOrEqual(14);
          expect(cfg[part].titleFontSize, part).toBeGreaterThanOrEqual(14);
        }
        expect(cfg.range.category).toEqual(OKABE_ITO);
        // any explicit font size on marks or guides is at least 14 px
        walk(spec, (o) => {
          for (const k of ['fontSize', 'labelFontSize', 'titleFontSize']) if (typeof o[k] === 'number') expect(o[k]).toBeGreaterThanOrEqual(14);
        });
        // scenario colours come from the Okabe–Ito palette
        walk(spec, (o, key) => {
          if ((key === 'color' || key === 'fill') && o.field === 'scenario') {
            const range = (o.scale as { range?: string[] } | undefined)?.range ?? [];
            for (const col of range) expect(OKABE_ITO).toContain(col);
          }
        });
        // no meaning by colour alone: every field on colour/fill is also on another channel
        const channelsByField = new Map<string, Set<string>>();
        walk(spec, (o, key) => {
          if (typeof o.field === 'string') {
            const set = channelsByField.get(o.field) ?? new Set<string>();
            set.add(key);
            channelsByField.set(o.field, set);
          }
        });
        for (const [field, chans] of channelsByField) {
          if (chans.has('color') || chans.has('fill')) {
            const others = [...chans].filter((ch) => !['color', 'fill', 'tooltip', 'opacity', ''].includes(ch));
            expect(others.length, `field ${field} is only shown by colour`).toBeGreaterThan(0);
          }
        }
        // tooltips somewhere on the marks
        let tooltips = 0;
        walk(spec, (o) => {
          if (o.tooltip !== undefined) tooltips++;
        });
        expect(tooltips).toBeGreaterThan(0);
        // scenario picking
        const params = (spec.params as { name: string }[] | undefined) ?? [];
        expect(params.some((p) => p.name === PICK_PARAM)).toBe(c.scenarioPick);
        // data are inline: no URLs anywhere
        walk(spec, (o) => expect(o.url).toBeUndefined());
      });
    }
  }

  it('omits charts whose data are absent, with a reason', () => {
    const names = (d: keyof typeof fixtures): string[] => buildCharts(fixtures[d]).charts.map((c) => c.name);
    expect(names('compare')).toEqual([
      'distributions',
      'differences',
      'time-paths',
      'partnering-share',
      'network',
      'survival',
      'fsm-gap',
      'cost-effect',
    ]);
    expect(names('run')).not.toContain('differences');
    expect(names('run')).not.toContain('distributions'); // one replication: no spread
    expect(names('sweep')).toEqual(['sweep-heatmap', 'sweep-parameters', 'sweep-sobol']);
    const { omitted } = buildCharts(fixtures.run);
    const diff = omitted.find((o) => o.name === 'differences');
    expect(diff?.omitted).toMatch(/baseline/);
    // an almost empty report still works
    const empty = validateReportData({ kind: 'sweep', title: 'nothing' });
    const r = buildCharts(empty);
    expect(r.charts).toEqual([]);
    expect(r.omitted.length).toBe(CHART_BUILDERS.length);
  });

  it('sorts scenarios with the baseline first and keeps user text out of field names', () => {
    const c = buildCharts(fixtures.compare).charts.find((x) => x.name === 'distributions')!;
    const text = JSON.stringify(c.spec);
    expect(text).not.toMatch(/"field":"[^"]*<img/);
    const y = JSON.stringify(c.spec).match(/"sort":\["baseline"/);
    expect(y).not.toBeNull();
  });
});

describe('kaplanMeier', () => {
  it('matches a hand-computed curve with censoring', () => {
    // ages: 1 (ended), 2 (censored), 3 (ended), 3 (ended), 4 (censored)
    const km = kaplanMeier([
      { ageYears: 1, ended: true },
      { ageYears: 2, ended: false },
      { ageYears: 3, ended: true },
      { ageYears: 3, ended: true },
      { ageYears: 4, ended: false },
    ]);
    expect(km.map((p) => p.age)).toEqual([0, 1, 3, 4]);
    expect(km[1].survival).toBeCloseTo(0.8, 10); // 1 - 1/5
    expect(km[2].survival).toBeCloseTo(0.8 * (1 - 2 / 3), 10); // 3 at risk at t=3, 2 ended
    expect(km[3].survival).toBeCloseTo(km[2].survival, 10); // censored tail keeps the level
    for (const p of km) {
      expect(p.low).toBeLessThanOrEqual(p.survival);
      expect(p.high).toBeGreaterThanOrEqual(p.survival);
    }
  });
});

describe('loadReportData', () => {
  it('throws ReportInputError naming the file when it is missing, not JSON, or malformed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-data-'));
    try {
      await expect(loadReportData(dir)).rejects.toBeInstanceOf(ReportInputError);
      await expect(loadReportData(dir)).rejects.toThrow(/report-data\.json: file not found; expected the report data/);
      await writeFile(join(dir, 'report-data.json'), '{ not json');
      await expect(loadReportData(dir)).rejects.toThrow(/report-data\.json: is not valid JSON/);
      await writeFile(join(dir, 'report-data.json'), JSON.stringify({ kind: 'banana', title: 't' }));
      await expect(loadReportData(dir)).rejects.toThrow(/kind should be 'run', 'compare' or 'sweep'/);
      const bad = compareFixture(2) as unknown as { replications: Record<string, unknown>[] };
      bad.replications[3].value = 'high';
      await writeFile(join(dir, 'report-data.json'), JSON.stringify(bad));
      await expect(loadReportData(dir)).rejects.toThrow(/replications\[3\]\.value should be a finite number/);
      await writeFile(join(dir, 'report-data.json'), JSON.stringify(compareFixture(2)));
      const ok = await loadReportData(dir);
      expect(ok.scenarios.length).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** The scenario-keyed scales of a chart spec: colour, and shape or dash (the second cue). */
export function scenarioStyleSets(spec: unknown): { domain: string[]; colors: string[][]; seconds: unknown[][] } {
  const out = { domain: [] as string[], colors: [] as string[][], seconds: [] as unknown[][] };
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, { field?: string; scale?: { domain?: string[]; range?: unknown[] } }>;
    for (const k of ['color', 'shape', 'strokeDash']) {
      const sc = o[k]?.field === 'scenario' ? o[k].scale : undefined;
      if (!sc?.domain || !sc.range) continue;
      out.domain = sc.domain;
      if (k === 'color') out.colors.push(sc.range as string[]);
      else out.seconds.push(sc.range);
    }
    Object.values(o).forEach(walk);
  };
  walk(spec);
  return out;
}

describe('scenario styles with 12 scenarios (compare --scenarios all)', () => {
  it('give every scenario its own colour and second cue (shape or dash) in every chart, the baseline black and no-partnering grey', async () => {
    const { manyScenariosFixture } = await import('./fixture.js');
    const data = manyScenariosFixture(12);
    const { charts } = buildCharts(data);
    let checked = 0;
    for (const c of charts) {
      const set = scenarioStyleSets(c.spec);
      if (set.colors.length === 0) continue;
      expect(set.seconds.length, `${c.name}: colour without a shape or dash`).toBeGreaterThan(0);
      expect(set.domain.length, c.name).toBeGreaterThanOrEqual(6);
      for (const color of set.colors) {
        expect(new Set(color).size, `${c.name}: colours`).toBe(color.length);
        expect(color[set.domain.indexOf('baseline')]).toBe('#000000');
        if (set.domain.includes('no-partnering')) expect(color[set.domain.indexOf('no-partnering')]).toBe('#8C8C8C');
        for (const second of set.seconds) {
          const pairs = color.map((col, i) => `${col}|${JSON.stringify(second[i])}`);
          expect(new Set(pairs).size, c.name).toBe(color.length);
          expect(new Set(second.map((x) => JSON.stringify(x))).size, `${c.name}: shapes or dashes`).toBe(color.length);
        }
      }
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });
});
