/**
 * Rendered files: `writeReport` on the compare and sweep fixtures writes, for
 * every chart, a non-empty SVG with the stated width/height, a PNG with a valid
 * signature and the stated pixel size (read from IHDR), and the vega-lite spec;
 * nothing half-written is left behind; user text is escaped in the SVG; the
 * rendering is deterministic; the HTML inlines everything and loads nothing
 * from outside; `writeReport(dir)` reads report-data.json itself.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharts, CHART_BUILDERS } from '../../../analysis/report/charts/index.js';
import { pngSize, renderSpec, ReportInputError, svgSize, writeReport } from '../../../analysis/report/index.js';
import { compareFixture, EVIL, sweepFixture } from './fixture.js';

let root: string;
const dirs = { compare: '', sweep: '' };
const results: Record<string, { charts: string[]; html: string }> = {};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'report-render-'));
  dirs.compare = join(root, 'compare');
  dirs.sweep = join(root, 'sweep');
  results.compare = await writeReport(dirs.compare, compareFixture());
  results.sweep = await writeReport(dirs.sweep, sweepFixture());
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeReport files', () => {
  it('writes SVG, PNG and spec for every chart with the stated sizes', async () => {
    for (const kind of ['compare', 'sweep'] as const) {
      const dir = dirs[kind];
      const index = JSON.parse(await readFile(join(dir, 'charts', 'charts.json'), 'utf8')) as {
        charts: { name: string; svgWidth: number; svgHeight: number; pngWidth: number; pngHeight: number; files: Record<string, string> }[];
        omitted: { name: string; reason: string }[];
      };
      expect(index.charts.map((c) => c.name)).toEqual(results[kind].charts);
      // every builder is accounted for (the walls split into parts named NAME-1, NAME-2, ...)
      const bases = new Set([...index.charts.map((c) => c.name), ...index.omitted.map((o) => o.name)].map((n) => n.replace(/-\d+$/, '')));
      expect(bases.size).toBe(CHART_BUILDERS.length);
      for (const c of index.charts) {
        expect(c.pngWidth, `${c.name} PNG width`).toBeLessThanOrEqual(2000);
        expect(c.pngHeight, `${c.name} PNG height`).toBeLessThanOrEqual(3000);
      }
      for (const c of index.charts) {
        const svg = await readFile(join(dir, 'charts', c.files.svg), 'utf8');
        expect(svg.length, c.name).toBeGreaterThan(1000);
        expect(svg.startsWith('<svg'), c.name).toBe(true);
        const s = svgSize(svg);
        expect(s).toEqual({ width: c.svgWidth, height: c.svgHeight });
        expect(s.width, `${c.name} width`).toBeGreaterThanOrEqual(720);
        expect(svg).toContain('font-family="DejaVu Sans"');
        const png = await readFile(join(dir, 'charts', c.files.png));
        expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        expect(pngSize(png)).toEqual({ width: c.pngWidth, height: c.pngHeight });
        // twice the SVG size, unless that would pass 2,000 x 3,000: then the largest zoom that fits
        const zoom = Math.min(2, 2000 / c.svgWidth, 3000 / c.svgHeight);
        expect(Math.abs(c.pngWidth - c.svgWidth * zoom)).toBeLessThanOrEqual(1);
        expect(Math.abs(c.pngHeight - c.svgHeight * zoom)).toBeLessThanOrEqual(1);
        const spec = JSON.parse(await readFile(join(dir, 'charts', c.files.spec), 'utf8')) as Record<string, unknown>;
        expect(spec.$schema).toMatch(/vega-lite\/v6/);
      }
    }
  });

  it('leaves no temporary files behind', async () => {
    for (const dir of Object.values(dirs)) {
      const names = [...(await readdir(dir)), ...(await readdir(join(dir, 'charts')))];
      expect(names.filter((n) => n.endsWith('.tmp') || n.startsWith('.'))).toEqual([]);
    }
  });

  it('escapes user text in SVG output', async () => {
    for (const name of ['distributions', 'differences', 'network', 'survival', 'cost-effect']) {
      const svg = await readFile(join(dirs.compare, 'charts', `${name}.svg`), 'utf8');
      expect(svg, name).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(svg, name).not.toContain('<img');
      expect(svg, name).not.toMatch(/<script/i);
    }
  });

  it('renders deterministically', async () => {
    const chart = buildCharts(compareFixture()).charts.find((c) => c.name === 'survival')!;
    const a = await renderSpec(chart.spec);
    const b = await renderSpec(chart.spec);
    expect(a.svg).toBe(b.svg);
    expect(Buffer.compare(a.png, b.png)).toBe(0);
  });

  it('report.html is self-contained, escapes user text and loads nothing from outside', async () => {
    const html = await readFile(results.compare.html, 'utf8');
    // no external resources: every src/href/url( is local, data: or a fragment
    expect(html).not.toMatch(/\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:|\/\/|ftp:)/i);
    expect(html).not.toMatch(/url\(\s*["']?\s*(?:https?:|\/\/)/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    // bundles inlined
    expect(html).toContain('vegaEmbed');
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
    // script-tag JSON has no raw '<img' and is valid JSON after unescaping
    const m = /<script type="application\/json" id="report-payload">([\s\S]*?)<\/script>/.exec(html);
    expect(m).not.toBeNull();
    const json = m![1];
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(json).toContain('\\u003cimg src=x onerror=alert(1)\\u003e');
    const payload = JSON.parse(json) as { scenarios: string[]; charts: { name: string }[] };
    expect(payload.scenarios).toContain(EVIL);
    expect(payload.charts.length).toBe(results.compare.charts.length);
    // user text in markup is escaped (title, scenario table, manifest)
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
    const outsideScripts = html.replace(/<script\b[\s\S]*?<\/script>/gi, '');
    expect(outsideScripts).not.toContain(EVIL);
    expect(outsideScripts).not.toMatch(/<script/i);
    expect(outsideScripts).not.toMatch(/<(?:link|iframe|object|embed|img|base)\b/i);
    // every chart has title, reading, units and a container; omitted charts are explained
    for (const name of results.compare.charts) {
      expect(html).toMatch(new RegExp(`<section id="chart-${name}" class="chart">\\s*<h2>[^<]+</h2>\\s*<p class="reading">[^<]+</p>\\s*<p class="units">`));
      expect(html).toContain(`<div class="vis" id="vis-${name}"`);
    }
    // charts that do not apply are not listed; the manifest is collapsed under a visible summary
    expect(html).not.toContain('Charts not shown');
    expect(html).toMatch(/<details id="manifest-details"><summary>Full manifest<\/summary>/);
    expect(html).toMatch(/<h2>About this run<\/h2>\s*<ul class="facts"><li><strong>Scenarios:<\/strong>/);
    // the report opens with the key outcomes; the all-outcome walls sit in a collapsed appendix
    expect(html.indexOf('id="headline"')).toBeLessThan(html.indexOf('<section id="chart-'));
    expect(html).toMatch(/<details id="appendix"><summary>Appendix/);
  });

  it('reads report-data.json when no data is passed, and reports bad input', async () => {
    const dir = join(root, 'from-file');
    await expect(writeReport(dir)).rejects.toBeInstanceOf(ReportInputError);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'report-data.json'), JSON.stringify(sweepFixture()));
    const r = await writeReport(dir);
    expect(r.charts).toEqual(['sweep-heatmap', 'sweep-parameters', 'sweep-sobol']);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    expect(existsSync(join(dir, 'charts', 'sweep-sobol.png'))).toBe(true);
  });
});
