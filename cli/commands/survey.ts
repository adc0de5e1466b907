/**
 * `partnersim survey`: the virtual NAO survey (analysis/survey), repeated over
 * replications to show the spread of what a survey would have concluded, with the
 * model's true causal effects beside each estimate.
 */
import { loadScenario } from '../../scenarios/loader.js';
import { Rng } from '../../sim/rng.js';
import { NAO_SURVEY_YEAR } from '../../sim/survey.js';
import { InputError } from '../../sim/errors.js';
import { runTasks } from '../../workers/pool.js';
import type { Task } from '../../workers/task.js';
import { analyseSurvey, drawSample, NAO_POPULATION, NAO_SAMPLE, type SurveyResult } from '../../analysis/survey/index.js';
import { comparisonsMatch, figure3 } from '../../analysis/survey/figure3.js';
import { buildManifest } from '../../analysis/output/manifest.js';
import { layout } from '../../analysis/output/table.js';
import { quantileSorted } from '../../analysis/stats/describe.js';
import { seedValue, wholeNumber } from '../args.js';
import { Progress } from '../progress.js';
import { threadCount } from './compare.js';

export interface SurveyArgs {
  reps?: unknown;
  threads?: unknown;
  seed?: unknown;
  schools?: unknown;
  at?: unknown;
  sample?: unknown;
  json?: boolean;
}

function quantile(v: number[], p: number): number {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? quantileSorted(s, p) : NaN;
}
const avg = (v: number[]): number => {
  const f = v.filter(Number.isFinite);
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
};

/** Combine replications: for every estimate, its mean and 90% spread, the share significant, and the mean true effect. */
export function summariseSurveys(results: SurveyResult[]): Record<string, unknown> {
  const first = results[0];
  const comparisons = first.comparisons.map((c, k) => {
    const d = results.map((r) => r.comparisons[k].difference);
    return {
      measure: c.measure,
      partnering: avg(results.map((r) => r.comparisons[k].partnering)),
      nonPartnering: avg(results.map((r) => r.comparisons[k].nonPartnering)),
      difference: avg(d),
      differenceRange: [quantile(d, 0.05), quantile(d, 0.95)],
      trueEffect: c.trueEffect === null ? null : avg(results.map((r) => r.comparisons[k].trueEffect as number)),
    };
  });
  const regressions = first.regressions.map((t, k) => {
    const names = results.find((r) => r.regressions[k].coefficients.length)?.regressions[k].coefficients.map((c) => c.name) ?? [];
    return {
      outcome: t.outcome,
      model: t.model,
      note: t.note,
      failed: results.filter((r) => r.regressions[k].error).length,
      coefficients: names.map((name) => {
        const cs = results.map((r) => r.regressions[k].coefficients.find((c) => c.name === name)).filter((c) => c !== undefined);
        const est = cs.map((c) => c!.estimate);
        const share = (f: (c: NonNullable<(typeof cs)[number]>) => number): number => cs.filter((c) => f(c!) < 0.05).length / Math.max(1, cs.length);
        return {
          name,
          estimate: avg(est),
          range: [quantile(est, 0.05), quantile(est, 0.95)],
          // Standard errors averaged over replications: classical, HC1, clustered by LA.
          se: avg(cs.map((c) => c!.se)),
          seHC1: avg(cs.map((c) => c!.seHC1)),
          seCluster: avg(cs.map((c) => c!.seCluster)),
          // Share of replications with p < 0.05, by the LA-clustered errors (the default), and by the others for contrast.
          significantShare: share((c) => c.p),
          significantShareClassical: share((c) => c.pClassical),
          significantShareHC1: share((c) => c.pHC1),
          trueEffect: t.model === 'ordinal logit' ? null : avg(cs.map((c) => (c!.trueEffect === null ? NaN : c!.trueEffect))),
        };
      }),
    };
  });
  return { comparisons, regressions };
}

export async function surveyCommand(a: SurveyArgs, argv: string[]): Promise<void> {
  const base = loadScenario('baseline');
  const none = loadScenario('no-partnering');
  const seed = seedValue(a.seed);
  const reps = a.reps === undefined ? 20 : wholeNumber('reps', a.reps, 1, 100000);
  const schools = a.schools === undefined ? 3300 : wholeNumber('schools', a.schools, 50, 10_000_000);
  const at = a.at === undefined ? NAO_SURVEY_YEAR : Number(a.at);
  if (!Number.isFinite(at) || at < 2007 || at > 2030) throw InputError.at(undefined, '--at', `expected an academic year from 2007 to 2030 (e.g. 2008.4 for January-February 2009), got ${JSON.stringify(a.at)}`);
  const sampleSize = a.sample === undefined ? Math.round((NAO_SAMPLE * schools) / NAO_POPULATION) : wholeNumber('sample', a.sample, 10, schools);
  const run = { years: Math.floor(at - 2007) + 1, stepsPerYear: 3, startYear: 2007, schools };
  const tasks: Task[] = [];
  for (let r = 0; r < reps; r++) {
    tasks.push({ id: 2 * r, scenario: base.name, params: base.params, run, seed, point: 0, replication: r, survey: true, surveyYear: at });
    tasks.push({ id: 2 * r + 1, scenario: none.name, params: none.params, run, seed, point: 0, replication: r, survey: true, surveyYear: at });
  }
  const bar = new Progress(tasks.length, 'survey', 'runs');
  let done = 0;
  const recs = await runTasks(tasks, { threads: threadCount(a.threads), onRecord: () => bar.update(++done) });
  bar.done();
  const results: SurveyResult[] = [];
  for (let r = 0; r < reps; r++) {
    const sample = drawSample(recs[2 * r].survey!, sampleSize, Rng.fromKey({ seed, replication: r, stream: 'survey-sample' }));
    results.push(analyseSurvey(recs[2 * r].survey!, recs[2 * r + 1].survey!, sample));
  }
  const summary = { ...summariseSurveys(results), figure3: { ...figure3(results), comparisons: comparisonsMatch(results) } };
  const manifest = buildManifest({ kind: 'survey', command: argv, seed, run, scenarios: [base, none], replications: reps, extra: { survey: { at, sample: sampleSize, strata: 'FSM quartiles, proportional allocation' } } }, false);
  if (a.json) {
    process.stdout.write(JSON.stringify({ manifest, design: { at, sample: sampleSize, replications: reps }, ...summary, firstReplication: results[0] }, null, 2) + '\n');
    return;
  }
  process.stdout.write(surveyTable(summary, sampleSize, reps, at) + '\n');
}

function surveyTable(summary: Record<string, unknown>, sample: number, reps: number, at: number): string {
  const f = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : '-');
  const out: string[] = [];
  out.push(`Virtual NAO survey: ${sample} schools sampled at ${at} (academic years), ${reps} replications; true effects from the same schools under no-partnering (common random numbers).`);
  out.push('');
  out.push('Partnering vs non-partnering schools (NAO 3.6):');
  const cs = summary.comparisons as { measure: string; partnering: number; nonPartnering: number; difference: number; differenceRange: number[]; trueEffect: number | null }[];
  out.push(layout(cs.map((c) => [`  ${c.measure}`, f(c.partnering), f(c.nonPartnering), f(c.difference), `${f(c.differenceRange[0])} to ${f(c.differenceRange[1])}`, c.trueEffect === null ? 'n/a' : f(c.trueEffect)]), ['  measure', 'partnering', 'not', 'difference', 'survey 90% range', 'true effect'], 'lrrrrr'));
  out.push('');
  out.push('Regressions: SE columns are classical / HC1 / clustered by local authority (means over replications); p<0.05 is the share of replications significant by the LA-clustered errors (classical in brackets). True effects sit beside OLS estimates only (same scale).');
  for (const t of summary.regressions as { outcome: string; model: string; failed: number; coefficients: { name: string; estimate: number; range: number[]; se: number; seHC1: number; seCluster: number; significantShare: number; significantShareClassical: number; trueEffect: number | null }[] }[]) {
    out.push('');
    out.push(`${t.outcome} (${t.model}${t.failed ? `; failed in ${t.failed} replications` : ''}):`);
    out.push(
      layout(
        t.coefficients.map((c) => [`  ${c.name}`, f(c.estimate), `${f(c.range[0])} to ${f(c.range[1])}`, `${f(c.se)} / ${f(c.seHC1)} / ${f(c.seCluster)}`, `${Math.round(100 * c.significantShare)}% (${Math.round(100 * c.significantShareClassical)}%)`, c.trueEffect === null ? 'n/a' : f(c.trueEffect)]),
        ['  feature', 'survey estimate', '90% range', 'SE classical / HC1 / LA', 'p<0.05', 'true effect'],
        'lrrrrr',
      ),
    );
  }
  const f3 = summary.figure3 as ReturnType<typeof figure3> & { comparisons: ReturnType<typeof comparisonsMatch> };
  out.push('');
  out.push(`Figure 3 (NAO 3.9): the report's finding and the share of replications that reproduce it (${f3.matchedMajority} of ${f3.total} in a majority):`);
  out.push(layout(f3.rows.map((r) => [`  ${r.outcome}`, r.coefficient, r.reportSign === 'no link' ? 'no link (p >= 0.05)' : `better (sign ${r.expectedSign > 0 ? '+' : '-'})`, `${Math.round(100 * r.matchShare)}%`]), ['  outcome', 'feature', 'report', 'replications matching'], 'lllr'));
  out.push('');
  out.push('Partnering vs non-partnering, the report\'s direction:');
  out.push(layout(f3.comparisons.map((c) => [`  ${c.measure}`, c.reportDirection, `${Math.round(100 * c.matchShare)}%`]), ['  measure', 'report', 'replications matching'], 'llr'));
  return out.join('\n');
}
