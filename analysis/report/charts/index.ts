/**
 * The list of chart builders in report order, and `buildCharts`, which runs
 * them all and separates the charts drawn from those omitted for lack of data.
 */
import type { ReportData } from '../data.js';
import { type ChartBuilder, type ChartSpec, type OmittedChart, isChart } from './common.js';
import { buildCostEffect } from './costeffect.js';
import { buildDifferences } from './differences.js';
import { buildDistributions } from './distributions.js';
import { buildFsmGap } from './fsmgap.js';
import { buildNetwork } from './network.js';
import { buildPartnering } from './partnering.js';
import { buildSurvival } from './survival.js';
import { buildSweepHeatmap } from './sweepheatmap.js';
import { buildSweepParameters } from './sweepparams.js';
import { buildSweepSobol } from './sweepsobol.js';
import { buildTimePaths } from './timepaths.js';
import { buildRobustRegret } from './robustregret.js';
import { buildPrimTradeoff } from './primtradeoff.js';
import { buildPrimLimits } from './primlimits.js';
import { buildPrimScatter } from './primscatter.js';

export * from './common.js';
export { kaplanMeier, REASON_LABELS } from './survival.js';

/** All chart builders, in the order the report shows them. */
export const CHART_BUILDERS: readonly ChartBuilder[] = [
  buildDistributions,
  buildDifferences,
  buildTimePaths,
  buildPartnering,
  buildNetwork,
  buildSurvival,
  buildFsmGap,
  buildCostEffect,
  buildSweepHeatmap,
  buildSweepParameters,
  buildSweepSobol,
  buildRobustRegret,
  buildPrimTradeoff,
  buildPrimLimits,
  buildPrimScatter,
];

/** Run every builder on `data`: charts that could be drawn, and those omitted with the reason. */
export function buildCharts(data: ReportData): { charts: ChartSpec[]; omitted: OmittedChart[] } {
  const charts: ChartSpec[] = [];
  const omitted: OmittedChart[] = [];
  for (const build of CHART_BUILDERS) {
    for (const r of [build(data)].flat()) {
      if (isChart(r)) charts.push(r);
      else omitted.push(r);
    }
  }
  return { charts, omitted };
}

export {
  buildCostEffect,
  buildDifferences,
  buildDistributions,
  buildFsmGap,
  buildNetwork,
  buildPartnering,
  buildSurvival,
  buildSweepHeatmap,
  buildSweepParameters,
  buildSweepSobol,
  buildTimePaths,
  buildRobustRegret,
  buildPrimTradeoff,
  buildPrimLimits,
  buildPrimScatter,
};
