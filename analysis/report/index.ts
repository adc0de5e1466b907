/**
 * Entry point of the report module: `writeReport(dir)` reads
 * `DIR/report-data.json` (or takes the data directly), builds every chart that
 * the data allows, and writes `DIR/charts/NAME.vl.json`, `NAME.svg`, `NAME.png`,
 * `DIR/charts/charts.json` (an index with sizes and omitted charts) and the
 * self-contained `DIR/report.html`. Every file is written to a temporary name in
 * the same folder and renamed into place, so no reader ever sees half a file.
 */
import { writeFileAtomic } from '../output/atomic.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCharts } from './charts/index.js';
import { VL_SCHEMA_URL } from './charts/common.js';
import { type ReportData, loadReportData, validateReportData } from './data.js';
import { type ReportChart, buildReportHtml } from './html.js';
import { type RenderOptions, renderSpec } from './render.js';

export { loadReportData, validateReportData, ReportInputError, REPORT_DATA_FILE } from './data.js';
export type { ReportData, OutcomeMeta } from './data.js';
export { buildCharts, CHART_BUILDERS } from './charts/index.js';
export type { ChartSpec, OmittedChart, ChartResult } from './charts/common.js';
export { renderSpec, pngSize, svgSize } from './render.js';
export { buildReportHtml, escapeHtml, jsonForScript } from './html.js';

/** Index of what `writeReport` wrote, saved as `DIR/charts/charts.json`. */
export interface ChartIndexEntry {
  name: string;
  title: string;
  units: string;
  files: { spec: string; svg: string; png: string };
  svgWidth: number;
  svgHeight: number;
  pngWidth: number;
  pngHeight: number;
}

/** Options for `writeReport`. */
export interface WriteReportOptions extends RenderOptions {
  /** Embed the DejaVu fonts in report.html (default true). */
  embedFonts?: boolean;
}

/**
 * Build and write all charts and the self-contained HTML report for a run directory.
 *
 * @param dir the run directory (holding manifest.json and report-data.json)
 * @param data the report data; if omitted it is read from `DIR/report-data.json`
 * @param options PNG scale, random seed, font embedding
 * @returns the names of the charts drawn (files `DIR/charts/NAME.{vl.json,svg,png}`) and the path of report.html
 * @throws ReportInputError if the data is missing or malformed
 */
export async function writeReport(
  dir: string,
  data?: ReportData,
  options: WriteReportOptions = {},
): Promise<{ charts: string[]; html: string }> {
  const input = data === undefined ? await loadReportData(dir) : validateReportData(data);
  const { charts, omitted } = buildCharts(input);
  const chartDir = join(dir, 'charts');
  await mkdir(chartDir, { recursive: true });
  const placed: ReportChart[] = [];
  const index: ChartIndexEntry[] = [];
  // sequential on purpose: vega's random source and text measuring are process-wide
  for (const chart of charts) {
    const r = await renderSpec(chart.spec, options);
    const files = { spec: `${chart.name}.vl.json`, svg: `${chart.name}.svg`, png: `${chart.name}.png` };
    const standalone = { $schema: VL_SCHEMA_URL, ...(chart.spec as unknown as Record<string, unknown>) };
    writeFileAtomic(join(chartDir, files.spec), `${JSON.stringify(standalone, null, 2)}\n`);
    writeFileAtomic(join(chartDir, files.svg), r.svg);
    writeFileAtomic(join(chartDir, files.png), r.png);
    placed.push({ chart, width: r.width, height: r.height, pngWidth: r.pngWidth, pngHeight: r.pngHeight });
    index.push({
      name: chart.name,
      title: chart.title,
      units: chart.units,
      files,
      svgWidth: r.width,
      svgHeight: r.height,
      pngWidth: r.pngWidth,
      pngHeight: r.pngHeight,
    });
  }
  writeFileAtomic(
    join(chartDir, 'charts.json'),
    `${JSON.stringify({ charts: index, omitted: omitted.map((o) => ({ name: o.name, title: o.title, reason: o.omitted })) }, null, 2)}\n`,
  );
  const html = await buildReportHtml(input, placed, omitted, { embedFonts: options.embedFonts });
  const htmlPath = join(dir, 'report.html');
  writeFileAtomic(htmlPath, html);
  return { charts: charts.map((c) => c.name), html: htmlPath };
}
