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
import { type ChartSpec, type OmittedChart, describeMeasure, displayOf, notApplicable, PICK_PARAM, scenarioOrder, simulatedRuns } from './charts/common.js';
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
main{padding:0 1.2rem 3rem;max-width:110rem;min-width:0}
section{margin:2rem 0;padding-top:.5rem;border-top:1px solid #ccc;scroll-margin-top:6rem}
h2{font-size:1.35rem;margin:.6rem 0}
h3{font-size:1.1rem}
p.reading{max-width:62rem;font-size:1.05rem}
p.units,p.files{color:#333;font-size:.95rem}
.vis{min-height:60px;padding:.4rem 0;max-width:100%}
.vis svg{max-width:100%;height:auto}
.vega-embed{max-width:100%}
h1,h2,h3,p,li,summary{overflow-wrap:anywhere}
table.key{width:100%}
table.key td.num{white-space:normal}
.table-wrap{max-width:100%;overflow-x:auto}
table.key td.num{text-align:right;font-variant-numeric:tabular-nums}
table.key td.na{color:#555;font-style:italic}
.clear{font-weight:bold}
details{margin:1.2rem 0;border:1px solid #bbb;border-radius:6px;padding:.4rem .8rem}
details>summary{font-size:1.2rem;font-weight:bold;cursor:pointer}
ul.facts{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1.6rem}
ul.sentences li{margin:.3rem 0}
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

/** The outcomes the report opens with (when present). */
export const KEY_OUTCOMES = ['attainment_mean', 'fsm_gap', 'exclusion_rate', 'share_any_partnership', 'money_cost'];

/** Charts that go to the collapsed appendix: the all-outcome walls. */
export function inAppendix(name: string): boolean {
  return /^(distributions|differences|time-paths)(-\d+)?$/.test(name);
}

/** A value for people, in the measure's display unit: £ for money, percentage points for shares. */
export function formatValue(unit: string, x: number, signed: boolean): string {
  if (!Number.isFinite(x)) return 'n/a';
  const d = displayOf(unit);
  const v = x * d.factor;
  const sign = signed ? (v > 0 ? '+' : v < 0 ? '−' : '') : v < 0 ? '−' : '';
  const a = Math.abs(v);
  if (/GBP|£/.test(unit)) return `${sign}\u2060£${Math.round(a).toLocaleString('en-GB')}`;
  const digits = d.percent ? 1 : a >= 100 ? 1 : 2;
  return `${sign}${a.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })}${d.percent ? (signed ? '\u00a0pp' : '%') : ''}`;
}

interface KeyCell {
  text: string;
  clear: boolean;
  na: boolean;
}

/** The opening screen of a comparison: key outcomes against the baseline with intervals, and a sentence each. */
export function headlineHtml(data: ReportData): string {
  const e = escapeHtml;
  const runs = simulatedRuns(data);
  const keys = KEY_OUTCOMES.filter((k) => data.outcomes.some((o) => o.id === k));
  if (data.kind === 'compare' && data.baseline !== null && data.differences.length) {
    const others = scenarioOrder(data, data.differences).filter((s) => s !== data.baseline && data.differences.some((d) => d.scenario === s));
    const cell = (sc: string, id: string): KeyCell => {
      if (notApplicable(sc, id)) return { text: 'n/a', clear: false, na: true };
      const d = data.differences.find((x) => x.scenario === sc && x.outcome === id);
      if (!d) return { text: 'n/a', clear: false, na: true };
      const unit = describeMeasure(data, id).unit;
      return { text: `${formatValue(unit, d.estimate, true)}\u00a0(${formatValue(unit, d.low, true)} to ${formatValue(unit, d.high, true)})`, clear: d.low > 0 || d.high < 0, na: false };
    };
    const head = keys.map((k) => {
      const m = describeMeasure(data, k);
      const unit = /GBP/.test(m.unit) ? '£ per school per year' : displayOf(m.unit).percent ? 'percentage points' : m.unit;
      return `<th scope="col">${e(m.label)}<br><small>${e(unit)}</small></th>`;
    });
    const rows = others.map(
      (sc) =>
        `<tr><th scope="row">${e(sc)}</th>${keys
          .map((k) => {
            const c = cell(sc, k);
            return `<td class="num${c.na ? ' na' : ''}${c.clear ? ' clear' : ''}">${e(c.text)}</td>`;
          })
          .join('')}</tr>`,
    );
    const sentences = keys.map((k) => {
      const m = describeMeasure(data, k);
      const meta = data.outcomes.find((o) => o.id === k);
      const ds = others.map((sc) => ({ sc, d: data.differences.find((x) => x.scenario === sc && x.outcome === k) })).filter((x) => x.d && !notApplicable(x.sc, k));
      const up = ds.filter((x) => x.d!.low > 0);
      const down = ds.filter((x) => x.d!.high < 0);
      const biggest = [...ds].sort((a, b) => Math.abs(b.d!.estimate) - Math.abs(a.d!.estimate))[0];
      const better = meta?.higherIsBetter === false ? 'lower' : 'higher';
      let text = `${m.label}: ${up.length} of ${ds.length} scenario${ds.length === 1 ? ' is' : 's are'} clearly higher than the baseline and ${down.length} clearly lower (95% intervals that exclude no difference)`;
      const unitWord = /GBP/.test(m.unit) ? ' per school per year' : displayOf(m.unit).percent ? '' : ` ${m.unit.replace(/\s*\(.*\)$/, '')}`;
      if (biggest) text += `; the largest change is under ${biggest.sc} (${formatValue(m.unit, biggest.d!.estimate, true)}${unitWord}, 95% interval ${formatValue(m.unit, biggest.d!.low, true)} to ${formatValue(m.unit, biggest.d!.high, true)})`;
      text += `. ${better === 'higher' ? 'Higher is better.' : 'Lower is better.'}`;
      return `<li>${e(text)}</li>`;
    });
    return `<section id="headline" aria-labelledby="headline-title">
<h2 id="headline-title">Key outcomes against the baseline (“${e(data.baseline)}”)</h2>
<p>Each cell is the scenario minus the baseline, replication by replication on the same random numbers, averaged over ${runs} simulated run${runs === 1 ? '' : 's'} per scenario, with its 95% interval in brackets. <strong>Bold</strong>: the interval excludes no difference. n/a: the measure does not exist (no partnerships to measure).</p>
<div class="table-wrap"><table class="key"><thead><tr><th scope="col">Scenario</th>${head.join('')}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>
<ul class="sentences">${sentences.join('\n')}</ul>
</section>`;
  }
  if (data.replications.length && keys.length) {
    const scs = scenarioOrder(data, data.replications);
    const items = keys.map((k) => {
      const m = describeMeasure(data, k);
      const parts = scs.map((sc) => {
        const vs = data.replications.filter((r) => r.scenario === sc && r.outcome === k).map((r) => r.value);
        if (!vs.length || notApplicable(sc, k)) return `${sc}: n/a`;
        const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
        return `${sc}: ${formatValue(m.unit, mean, false)}`;
      });
      return `<li>${e(`${m.label}: ${parts.join('; ')}${runs === 1 ? ' (1 simulated run)' : ` (mean of ${runs} simulated runs)`}.`)}</li>`;
    });
    return `<section id="headline" aria-labelledby="headline-title"><h2 id="headline-title">Key outcomes at the end of the run</h2><ul class="sentences">${items.join('\n')}</ul></section>`;
  }
  return '';
}

/** The page heading: the data's title, or for many scenarios a short one (the full list is in the scenario table). */
export function shortTitle(data: ReportData): string {
  if (data.title.length <= 90) return data.title;
  const others = data.scenarios.filter((s) => s.name !== data.baseline).length;
  return data.kind === 'compare' && data.baseline !== null ? `partnersim: ${others} scenarios against ${data.baseline}` : `${data.title.slice(0, 80)}…`;
}

/** The short human summary shown above the collapsed manifest. */
export function runSummary(data: ReportData): { label: string; value: string }[] {
  const m = data.manifest as Record<string, unknown>;
  const run = (m.run ?? {}) as Record<string, unknown>;
  const out: { label: string; value: string }[] = [];
  const names = data.scenarios.map((s) => s.name);
  out.push({ label: names.length === 1 ? 'Scenario' : 'Scenarios', value: names.length ? names.join(', ') : 'n/a' });
  if (m.seed !== undefined) out.push({ label: 'Seed', value: String(m.seed) });
  const runs = data.kind === 'sweep' ? (typeof m.replications === 'number' ? m.replications : undefined) : simulatedRuns(data) || (typeof m.replications === 'number' ? m.replications : undefined);
  if (runs !== undefined) out.push({ label: data.kind === 'sweep' ? 'Replications per point' : 'Replications', value: runs === 1 ? '1 simulated run' : `${runs} simulated runs per scenario` });
  const schools = run.schools ?? (m.world as Record<string, unknown> | undefined)?.schools;
  if (typeof schools === 'number') out.push({ label: 'Schools', value: schools.toLocaleString('en-GB') });
  if (typeof run.years === 'number') out.push({ label: 'Years', value: String(run.years) });
  const date = typeof m.startedAt === 'string' ? m.startedAt.slice(0, 10) : undefined;
  out.push({ label: 'Date', value: date ?? 'not recorded' });
  out.push({ label: 'Version', value: typeof m.version === 'string' ? `partnersim ${m.version}` : 'not recorded' });
  return out;
}

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
  const runsText = nReps === 0 ? '' : nReps === 1 ? ' (1 simulated run)' : ` (${nReps} simulated runs in all)`;

  const scenarioRows = data.scenarios
    .map(
      (s) =>
        `<tr><th scope="row">${e(s.name)}${s.name === data.baseline ? ' <em>(baseline)</em>' : ''}</th><td>${e(s.description)}</td></tr>`,
    )
    .join('\n');

  const mainCharts = charts.filter((c) => !inAppendix(c.chart.name));
  const appendixCharts = charts.filter((c) => inAppendix(c.chart.name));
  const toc = [
    ...mainCharts.map(({ chart }) => `<li><a href="#chart-${chart.name}">${e(chart.title)}</a></li>`),
    ...(appendixCharts.length ? [`<li><a href="#appendix">Appendix: every outcome (${appendixCharts.length} charts)</a></li>`] : []),
  ].join('\n');

  const section = (list: ReportChart[]): string => list
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
  const chartSections = section(mainCharts);
  // the all-outcome walls, collapsed: opened, they draw on demand like the rest
  const appendixSection = appendixCharts.length
    ? `<details id="appendix"><summary>Appendix: every outcome, scenario by scenario (${appendixCharts.length} charts)</summary>\n${section(appendixCharts)}\n</details>`
    : '';
  void omitted; // charts that do not apply are listed in charts/charts.json only

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
<h1>${e(shortTitle(data))}</h1>
${picker}
</header>
<main>
<section id="summary">
<p>This report shows ${kindText[data.kind]}${runsText}. Every chart below is drawn from the data inside this file; it needs no internet connection. Hover over a mark for its exact values${showPicker ? '; use “Highlight scenario” at the top to pick out one scenario in every chart' : ''}.</p>
<noscript><p class="note">The interactive charts need JavaScript. The same charts are saved as PNG and SVG pictures in the charts folder next to this file.</p></noscript>
<p id="render-status" aria-live="polite"></p>
</section>
${headlineHtml(data)}
<section id="contents">
${data.scenarios.length ? `<h2>Scenarios</h2>\n<table><thead><tr><th>Scenario</th><th>Description</th></tr></thead><tbody>\n${scenarioRows}\n</tbody></table>` : ''}
${charts.length ? `<h2>Charts</h2>\n<nav><ol>\n${toc}\n</ol></nav>` : '<p class="note">There was no data to chart.</p>'}
</section>
${chartSections}
${appendixSection}
<section id="parameters">
<h2>About this run</h2>
<ul class="facts">${runSummary(data).map((f) => `<li><strong>${e(f.label)}:</strong> ${e(f.value)}</li>`).join('')}</ul>
${sweepSection}
<details id="settings"><summary>Settings recorded in the manifest</summary>
<div class="table-wrap"><table><thead><tr><th>Setting</th><th>Value</th></tr></thead><tbody>
${manifestRows}
</tbody></table></div>
</details>
<details id="manifest-details"><summary>Full manifest</summary>
<pre id="manifest">${e(JSON.stringify(data.manifest, null, 2))}</pre>
</details>
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
