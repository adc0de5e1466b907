/**
 * `partnersim report DIR`: charts (vega-lite specs, SVG, PNG) and one self-contained
 * HTML report from results saved by run, compare or sweep. `--report` on those
 * commands does the same in one go. The renderer is loaded only when a report is drawn.
 */
import { join } from 'node:path';
import { InputError } from '../../sim/errors.js';

/** Write the report for DIR and return what to print. */
export async function reportCommand(dir: string): Promise<string> {
  const { writeReport } = await import('../../analysis/report/index.js');
  const r = await writeReport(dir);
  return `Wrote ${r.charts.length} charts to ${join(dir, 'charts')} (.vl.json, .svg, .png) and ${r.html}`;
}

/** `--report` needs somewhere to write. */
export function checkReportFlag(report: boolean | undefined, out: string | undefined): void {
  if (report && !out) throw InputError.at(undefined, '--report', 'needs --out DIR: the report is written into that folder');
}
