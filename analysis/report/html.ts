/**
 * The self-contained workshop report: ONE `report.html` that opens from a USB
 * stick with no network. It inlines the vega, vega-lite and vega-embed browser
 * bundles, the DejaVu Sans fonts (as data: URLs), and every chart spec with its
 * data; a Content-Security-Policy forbids any network access. Each chart has its
 * title, a plain-English reading and its units; a sticky scenario picker
 * highlights one scenario in every chart; the end shows the run's parameters and
 * the full manifest.
 *
 * All user text (scenario names and descriptions, manifest values, titles) is
 * HTML-escaped in markup; JSON inside <script> has <, >, &, U+2028 and U+2029
 * written as \uXXXX escapes so it can never close the script element.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { type ChartSpec, type OmittedChart, PICK_PARAM, scenarioOrder } from './charts/common.js';
import type { ReportData } from './data.js';
import { dejaVuFontFiles } from './render.js';

const require = createRequire(import.meta.url);

/** Escape text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON safe to place inside a <script> element: <, >, &, U+2028, U+2029 become \u escapes. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Make a JavaScript bundle safe to inline in a <script> element. */
function inlineScript(js: string): string {
  return js.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\x21--');
}

/** Paths of the browser bundles that get inlined (resolved from the installed packages). */
export function browserBundlePaths(): { vega: string; vegaLite: string; vegaEmbed: string } {
  // vega-lite's and vega-embed's `exports` hide build/: resolve the main file and take its sibling
  return {
    vega: join(dirname(require.resolve('vega')), 'vega.min.js'),
    vegaLite: join(dirname(require.resolve('vega-lite')), 'vega-lite.min.js'),
    vegaEmbed: join(dirname(require.resolve('vega-embed')), 'vega-embed.min.js'),
  };
}

/** One chart as placed in the report, with the sizes of its rendered files. */
export interface ReportChart {
  chart: ChartSpec;
  /** SVG size in CSS pixels. */
  width: number;
  height: number;
  /** PNG size in pixels. */
  pngWidth: number;
  pngHeight: number;
}

/** Options for `buildReportHtml`. */
export interface HtmlOptions {
  /** Embed DejaVu Sans as data: URLs so the page looks the same everywhere (default true). */
  embedFonts?: boolean;
}

function flatten(value: unknown, prefix: string, out: [string, string][], depth: number): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < 4) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.push([prefix, '{}']);
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out, depth + 1);
    return;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  out.push([prefix, text.length > 400 ? `${text.slice(0, 400)}…` : text]);
}

const CSS = `
*{box-sizing:border-box}
html{font-size:18px}
body{margin:0;font-family:'DejaVu Sans',Verdana,sans-serif;color:#111;background:#fff;line-height:1.45}
header.bar{position:sticky;top:0;z-index:10;background:#fff;border-bottom:2px solid #0072B2;padding:.6rem 1.2rem;display:flex;flex-wrap:wrap;gap:.6rem 2rem;align-items:center}
header.bar h1{font-size:1.35rem;margin:0;flex:1 1 30rem}
header.bar label{font-size:1.05rem;font-weight:bold}
header.bar select{font:inherit;font-size:1.05rem;padding:.25rem .4rem;max-width:28rem;border:2px solid #333;border-radius:4px}
main{padding:0 1.2rem 3rem;max-width:110rem}
section{margin:2rem 0;padding-top:.5rem;border-top:1px solid #ccc;scroll-margin-top:6rem}
h2{font-size:1.35rem;margin:.6rem 0}
h3{font-size:1.1rem}
p.reading{max-width:62rem;font-size:1.05rem}
p.units,p.files{color:#333;font-size:.95rem}
.vis{overflow-x:auto;min-height:60px;padding:.4rem 0}
table{border-collapse:collapse;font-size:.95rem}
th,td{border:1px solid #bbb;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#eef4fa}
td.v{font-family:'DejaVu Sans Mono',monospace;white-space:pre-wrap;word-break:break-word;max-width:60rem}
pre{background:#f6f6f6;border:1px solid #ccc;padding:.8rem;overflow-x:auto;font-size:.85rem;white-space:pre-wrap;word-break:break-word}
nav ol{columns:2;font-size:1rem}
a{color:#0057a0}
.note{background:#fff7e0;border-left:4px solid #E69F00;padding:.5rem .8rem;max-width:62rem}
#render-status{font-size:.9rem;color:#333}
#vg-tooltip-element{font-size:15px!important}
@media print{header.bar{position:static}.vega-embed .vega-actions,.vega-embed summary{display:none}}
`;

/** The inline page script: embeds every chart and wires the scenario picker to each chart's parameter. */
const PAGE_SCRIPT = `(function () {
  'use strict';
  var payload = JSON.parse(document.getElementById('report-payload').textContent);
  var pick = document.getElementById('scenario-pick');
  var status = document.getElementById('render-status');
  var views = [];
  function picked() {
    return pick && pick.value !== '' ? payload.scenarios[Number(pick.value)] : '';
  }
  function applyPick() {
    var v = picked();
    views.forEach(function (e) { if (e.pick) { e.view.signal(payload.pickParam, v).runAsync(); } });
  }
  var jobs = payload.charts.map(function (c) {
    var el = document.getElementById('vis-' + c.name);
    return vegaEmbed(el, c.spec, {
      renderer: 'svg',
      actions: { export: true, source: false, compiled: false, editor: false },
      downloadFileName: c.name
    }).then(function (res) {
      views.push({ view: res.view, pick: c.pick });
    }, function (err) {
      el.textContent = 'This chart could not be drawn: ' + (err && err.message ? err.message : String(err));
      console.error('chart ' + c.name + ' failed', err);
    });
  });
  Promise.all(jobs).then(function () {
    applyPick();
    document.body.setAttribute('data-rendered', 'true');
    if (status) { status.textContent = views.length + ' of ' + payload.charts.length + ' charts drawn.'; }
  });
  if (pick) { pick.addEventListener('change', applyPick); }
})();`;

/**
 * Build the complete, self-contained report page.
 *
 * @param data the report data (user text is escaped here)
 * @param charts the drawn charts with their rendered sizes, in report order
 * @param omitted charts left out for lack of data, with the reason
 * @param options font embedding
 */
export async function buildReportHtml(
  data: ReportData,
  charts: ReportChart[],
  omitted: OmittedChart[],
  options: HtmlOptions = {},
): Promise<string> {
  const bundles = browserBundlePaths();
  const [vegaJs, vegaLiteJs, vegaEmbedJs] = await Promise.all([
    readFile(bundles.vega, 'utf8'),
    readFile(bundles.vegaLite, 'utf8'),
    readFile(bundles.vegaEmbed, 'utf8'),
  ]);
  let fontCss = '';
  if (options.embedFonts ?? true) {
    const [regular, bold] = dejaVuFontFiles();
    const [r, b] = await Promise.all([readFile(regular), readFile(bold)]);
    fontCss =
      `@font-face{font-family:'DejaVu Sans';font-weight:normal;font-style:normal;src:url(data:font/ttf;base64,${r.toString('base64')}) format('truetype')}\n` +
      `@font-face{font-family:'DejaVu Sans';font-weight:bold;font-style:normal;src:url(data:font/ttf;base64,${b.toString('base64')}) format('truetype')}\n`;
  }

  const allRows = [
    ...data.replications,
    ...data.differences,
    ...data.timeseries,
    ...data.network,
    ...data.partnerships,
    ...data.fsmBands,
    ...data.costEffect,
  ];
  const scenarios = scenarioOrder(data, allRows);
  const anyPick = charts.some((c) => c.chart.scenarioPick);
  const showPicker = anyPick && scenarios.length > 1;
  const e = escapeHtml;

  const payload = {
    pickParam: PICK_PARAM,
    scenarios,
    charts: charts.map(({ chart }) => {
      // the page shows the title and units as HTML, so drop them from the embedded chart
      const spec = { ...(chart.spec as unknown as Record<string, unknown>) };
      delete spec.title;
      return { name: chart.name, pick: chart.scenarioPick, spec: spec as unknown as TopLevelSpec };
    }),
  };

  const picker = showPicker
    ? `<label for="scenario-pick">Highlight scenario:</label>
<select id="scenario-pick"><option value="">All scenarios</option>${scenarios
        .map((s, i) => `<option value="${i}">${e(s)}${s === data.baseline ? ' (baseline)' : ''}</option>`)
        .join('')}</select>`
    : '';

  const kindText: Record<ReportData['kind'], string> = {
    run: 'a single run',
    compare: 'a comparison of scenarios',
    sweep: 'a parameter sweep',
  };
  const nReps = new Set(data.replications.map((r) => `${r.scenario}\u0000${r.rep}`)).size;

  const scenarioRows = data.scenarios
    .map(
      (s) =>
        `<tr><th scope="row">${e(s.name)}${s.name === data.baseline ? ' <em>(baseline)</em>' : ''}</th><td>${e(s.description)}</td></tr>`,
    )
    .join('\n');

  const toc = charts.map(({ chart }) => `<li><a href="#chart-${chart.name}">${e(chart.title)}</a></li>`).join('\n');

  const chartSections = charts
    .map(
      ({ chart, width, height, pngWidth, pngHeight }) => `<section id="chart-${chart.name}" class="chart">
<h2>${e(chart.title)}</h2>
<p class="reading">${e(chart.reading)}</p>
<p class="units"><strong>Units:</strong> ${e(chart.units)}</p>
<div class="vis" id="vis-${chart.name}" role="img" aria-label="${e(chart.title)}"></div>
<p class="files">Also saved as charts/${chart.name}.png (${pngWidth} × ${pngHeight} pixels), charts/${chart.name}.svg (${width} × ${height}) and charts/${chart.name}.vl.json.</p>
</section>`,
    )
    .join('\n');

  const omittedSection = omitted.length
    ? `<section id="omitted"><h2>Charts not shown</h2>
<p>These charts need data that this ${e(data.kind)} did not produce:</p>
<ul>${omitted.map((o) => `<li><strong>${e(o.title)}</strong> — ${e(o.omitted)}</li>`).join('\n')}</ul></section>`
    : '';

  const sweepSection = data.sweep
    ? `<h3>Swept parameters</h3>
<table><thead><tr><th>Parameter</th><th>From</th><th>To</th></tr></thead><tbody>
${data.sweep.parameters.map((p) => `<tr><th scope="row">${e(p.name)}</th><td>${e(p.min)}</td><td>${e(p.max)}</td></tr>`).join('\n')}
</tbody></table>`
    : '';

  const flat: [string, string][] = [];
  flatten(data.manifest, '', flat, 0);
  const manifestRows = flat.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td class="v">${e(v)}</td></tr>`).join('\n');

  const csp =
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; " +
    "img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'";

  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="partnersim report">
<title>${e(data.title)}</title>
<style>
${fontCss}${CSS}</style>
</head>
<body>
<header class="bar">
<h1>${e(data.title)}</h1>
${picker}
</header>
<main>
<section id="summary">
<p>This report shows ${kindText[data.kind]}${nReps ? ` (${nReps} simulated runs in all)` : ''}. Every chart below is drawn from the data inside this file; it needs no internet connection. Hover over a mark for its exact values${showPicker ? '; use “Highlight scenario” at the top to pick out one scenario in every chart' : ''}.</p>
<noscript><p class="note">The interactive charts need JavaScript. The same charts are saved as PNG and SVG pictures in the charts folder next to this file.</p></noscript>
<p id="render-status" aria-live="polite"></p>
${data.scenarios.length ? `<h2>Scenarios</h2>\n<table><thead><tr><th>Scenario</th><th>Description</th></tr></thead><tbody>\n${scenarioRows}\n</tbody></table>` : ''}
${charts.length ? `<h2>Charts</h2>\n<nav><ol>\n${toc}\n</ol></nav>` : '<p class="note">There was no data to chart.</p>'}
</section>
${chartSections}
${omittedSection}
<section id="parameters">
<h2>Run parameters</h2>
${sweepSection}
<h3>Settings recorded in the manifest</h3>
<table><thead><tr><th>Setting</th><th>Value</th></tr></thead><tbody>
${manifestRows}
</tbody></table>
<h3>Full manifest</h3>
<pre id="manifest">${e(JSON.stringify(data.manifest, null, 2))}</pre>
</section>
</main>
<script>${inlineScript(vegaJs)}</script>
<script>${inlineScript(vegaLiteJs)}</script>
<script>${inlineScript(vegaEmbedJs)}</script>
<script type="application/json" id="report-payload">${jsonForScript(payload)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
