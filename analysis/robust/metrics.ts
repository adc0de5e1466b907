/**
 * Robustness metrics over policies x futures (issue 15; Lempert et al. 2003,
 * Robust Decision Making; the regret and satisficing metrics of Kwakkel's EMA
 * Workbench). Pure: values come in as the plan-ordered matrix the store reads.
 *
 * A policy's value in a future is its effect: the mean over replications of
 * (policy - reference) on the same world and shocks (common random numbers), so
 * 0 means "no different from the status quo". cost_per_point is the ratio of
 * mean differences against no-partnering (extra money per school per attainment
 * point gained), +Infinity when the policy gains no points.
 *
 * Regret of policy p in future f on an outcome: how far p falls short of the
 * best policy in that future, in the outcome's better direction
 * (max_q v(q,f) - v(p,f) when higher is better, v(p,f) - min_q v(q,f) when lower
 * is); 0 for the best. Satisficing: the share of futures in which a policy meets
 * every threshold the user sets. Best shares: in what share of futures each
 * policy is best (ties share the future equally).
 */
import { METRICS } from '../../sim/metrics.js';
import { COST_PER_POINT_ID } from '../../scenarios/experiment-schema.js';
import { InputError } from '../../sim/errors.js';
import { NO_PARTNERING } from '../../scenarios/experiment-loader.js';
import type { RobustPlan } from './plan.js';

/** Whether higher values of an outcome are better. */
export function higherIsBetter(outcome: string): boolean {
  if (outcome === COST_PER_POINT_ID) return false;
  const m = METRICS.find((x) => x.id === outcome);
  if (!m) throw new InputError(`unknown outcome '${outcome}'`);
  return m.higherIsBetter;
}

/** Label and unit of an outcome (effects are differences in the metric's unit). */
export function outcomeInfo(outcome: string): { label: string; unit: string } {
  if (outcome === COST_PER_POINT_ID) return { label: 'Cost per attainment point gained', unit: 'GBP per school per year per point, vs no-partnering' };
  const m = METRICS.find((x) => x.id === outcome)!;
  return { label: m.label, unit: m.unit };
}

/** Type-7 (linear) quantile of an ascending array; infinities are kept in order. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  if (lo === hi || sorted[lo] === sorted[hi]) return sorted[lo];
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo);
}

/**
 * Regret of each policy (row) in each future (column): shortfall from the best
 * value in that future in the outcome's better direction. Equal values (including
 * two infinities) have no regret between them.
 */
export function regretTable(values: readonly (readonly number[])[], higher: boolean): number[][] {
  const nf = values[0]?.length ?? 0;
  const best: number[] = [];
  for (let f = 0; f < nf; f++) {
    let b = higher ? -Infinity : Infinity;
    for (const row of values) b = higher ? Math.max(b, row[f]) : Math.min(b, row[f]);
    best.push(b);
  }
  return values.map((row) => row.map((v, f) => (v === best[f] ? 0 : higher ? best[f] - v : v - best[f])));
}

/** Share of futures in which each policy is best (ties split equally). */
export function bestShares(values: readonly (readonly number[])[], higher: boolean): number[] {
  const np = values.length;
  const nf = values[0]?.length ?? 0;
  const wins = new Array<number>(np).fill(0);
  const regret = regretTable(values, higher);
  for (let f = 0; f < nf; f++) {
    const best = regret.map((r, p) => (r[f] === 0 ? p : -1)).filter((p) => p >= 0);
    for (const p of best) wins[p] += 1 / best.length;
  }
  return wins.map((w) => (nf > 0 ? w / nf : NaN));
}

/** One threshold of a satisficing rule or a `--where`: OUTCOME OP VALUE. */
export interface Threshold {
  outcome: string;
  op: '<' | '<=' | '>' | '>=';
  value: number;
}

/** Does `v` meet the threshold? (NaN never does.) */
export function meets(v: number, t: Threshold): boolean {
  switch (t.op) {
    case '<':
      return v < t.value;
    case '<=':
      return v <= t.value;
    case '>':
      return v > t.value;
    case '>=':
      return v >= t.value;
  }
}

/**
 * Parse `OUTCOME OP NUMBER[,OUTCOME OP NUMBER...]` (OP one of < <= > >=; spaces
 * allowed; the number may carry a sign). `known` lists the outcomes allowed.
 */
export function parseThresholds(text: string, option: string, known: readonly string[]): Threshold[] {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw InputError.at(undefined, option, `expected OUTCOME<NUMBER (or <=, >, >=), e.g. attainment_mean>=0.2, got ${JSON.stringify(text)}`);
  return parts.map((p) => {
    const m = /^([A-Za-z_][\w]*)\s*(<=|>=|<|>)\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/.exec(p);
    if (!m) throw InputError.at(undefined, option, `expected OUTCOME<NUMBER (or <=, >, >=), e.g. attainment_mean>=0.2, got ${JSON.stringify(p)}`);
    if (!known.includes(m[1])) throw InputError.at(undefined, option, `unknown outcome '${m[1]}' in ${JSON.stringify(p)}; expected one of: ${known.join(', ')}`);
    return { outcome: m[1], op: m[2] as Threshold['op'], value: Number(m[3]) };
  });
}

/** Text of a threshold, as the user would write it. */
export function thresholdText(t: Threshold): string {
  return `${t.outcome}${t.op}${t.value}`;
}

/** Each policy's effect in each future, per judged outcome. */
export interface PolicyValues {
  outcomes: string[];
  policies: string[];
  /** Indices (into plan.futures) of the futures with results for every arm. */
  futures: number[];
  /** values[o][p][k]: outcome o, policy p, the k-th usable future. */
  values: number[][][];
  /** Replications used per usable future (the fewest over arms). */
  replications: number[];
}

/**
 * Effects of every policy in every future from the plan-ordered matrix of stored
 * outcomes (`stored` = the store's outcome columns). A future counts when every
 * arm has at least one replication done in it; replications are used in pairs
 * (a replication counts when the reference, the policy and, for cost_per_point,
 * no-partnering are all done).
 */
export function policyValues(plan: RobustPlan, stored: readonly string[], values: Float64Array, done: Uint8Array): PolicyValues {
  const spec = plan.spec;
  const k = stored.length;
  const na = spec.arms.length;
  const R = spec.replications;
  const policyArms = spec.arms.map((a, i) => (a.role === 'policy' ? i : -1)).filter((i) => i >= 0);
  const ref = spec.arms.findIndex((a) => a.name === spec.reference);
  const np = spec.arms.findIndex((a) => a.name === NO_PARTNERING);
  // ordinal of (future, rep, arm): plan order is future, replication, arm
  const ord = (f: number, r: number, a: number): number => (f * R + r) * na + a;
  const col = (id: string): number => stored.indexOf(id);
  const usable: number[] = [];
  const reps: number[] = [];
  for (const f of plan.futures) {
    let fewest = Infinity;
    for (let a = 0; a < na; a++) {
      let n = 0;
      for (let r = 0; r < R; r++) n += done[ord(f.index, r, a)];
      fewest = Math.min(fewest, n);
    }
    if (fewest > 0) {
      usable.push(f.index);
      reps.push(fewest);
    }
  }
  const out: number[][][] = spec.outcomes.map((o) =>
    policyArms.map((a) =>
      usable.map((f) => {
        if (o === COST_PER_POINT_ID) {
          const ca = col('money_cost');
          const aa = col('attainment_mean');
          let dc = 0;
          let da = 0;
          let n = 0;
          for (let r = 0; r < R; r++) {
            const i = ord(f, r, a);
            const j = ord(f, r, np);
            if (!done[i] || !done[j]) continue;
            dc += values[i * k + ca] - values[j * k + ca];
            da += values[i * k + aa] - values[j * k + aa];
            n++;
          }
          if (n === 0) return NaN;
          return da > 0 ? dc / da : Infinity;
        }
        const c = col(o);
        let s = 0;
        let n = 0;
        for (let r = 0; r < R; r++) {
          const i = ord(f, r, a);
          const j = ord(f, r, ref);
          if (!done[i] || !done[j]) continue;
          s += values[i * k + c] - values[j * k + c];
          n++;
        }
        return n > 0 ? s / n : NaN;
      }),
    ),
  );
  return { outcomes: spec.outcomes.slice(), policies: policyArms.map((a) => spec.arms[a].name), futures: usable, values: out, replications: reps };
}

/** One policy's robustness on one outcome. */
export interface PolicyOutcomeSummary {
  policy: string;
  outcome: string;
  mean: number;
  q05: number;
  median: number;
  q95: number;
  regretMax: number;
  regretP90: number;
  regretMean: number;
  /** Share of futures in which this policy is best on this outcome. */
  bestShare: number;
}

/** Summaries of every policy and outcome, the regret of each policy in each future, and satisficing shares. */
export interface RobustSummary {
  experiment: string;
  reference: string;
  futures: number;
  futuresPlanned: number;
  replications: number;
  outcomes: { id: string; label: string; unit: string; higherIsBetter: boolean }[];
  policies: string[];
  rows: PolicyOutcomeSummary[];
  /** Per outcome: the policy with the smallest maximum regret (minimax regret). */
  minimax: { outcome: string; policy: string; regretMax: number }[];
  satisfy?: {
    thresholds: string[];
    /** Per policy: share of futures meeting every threshold, and each one alone. */
    shares: { policy: string; all: number; each: number[] }[];
  };
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length ? s / xs.length : NaN;
}

/** Summarise policy values: distributions across futures, regret, best shares, satisficing. */
export function robustSummary(plan: RobustPlan, pv: PolicyValues, satisfy?: Threshold[]): RobustSummary {
  const rows: PolicyOutcomeSummary[] = [];
  const minimax: RobustSummary['minimax'] = [];
  pv.outcomes.forEach((o, oi) => {
    const higher = higherIsBetter(o);
    const table = pv.values[oi];
    const regret = regretTable(table, higher);
    const shares = bestShares(table, higher);
    let best = { policy: '', regretMax: Infinity };
    pv.policies.forEach((p, pi) => {
      const v = [...table[pi]].sort((a, b) => a - b);
      const rg = [...regret[pi]].sort((a, b) => a - b);
      const row: PolicyOutcomeSummary = {
        policy: p,
        outcome: o,
        mean: mean(v),
        q05: quantile(v, 0.05),
        median: quantile(v, 0.5),
        q95: quantile(v, 0.95),
        regretMax: rg.length ? rg[rg.length - 1] : NaN,
        regretP90: quantile(rg, 0.9),
        regretMean: mean(rg),
        bestShare: shares[pi],
      };
      rows.push(row);
      if (row.regretMax < best.regretMax) best = { policy: p, regretMax: row.regretMax };
    });
    minimax.push({ outcome: o, ...best });
  });
  const out: RobustSummary = {
    experiment: plan.spec.name,
    reference: plan.spec.reference,
    futures: pv.futures.length,
    futuresPlanned: plan.futures.length,
    replications: plan.spec.replications,
    outcomes: pv.outcomes.map((id) => ({ id, ...outcomeInfo(id), higherIsBetter: higherIsBetter(id) })),
    policies: pv.policies,
    rows,
    minimax,
  };
  if (satisfy && satisfy.length > 0) {
    out.satisfy = {
      thresholds: satisfy.map(thresholdText),
      shares: pv.policies.map((p, pi) => {
        const nf = pv.futures.length;
        const each = satisfy.map((t) => {
          const oi = pv.outcomes.indexOf(t.outcome);
          return nf ? pv.values[oi][pi].filter((v) => meets(v, t)).length / nf : NaN;
        });
        let all = 0;
        for (let k = 0; k < nf; k++) if (satisfy.every((t) => meets(pv.values[pv.outcomes.indexOf(t.outcome)][pi][k], t))) all++;
        return { policy: p, all: nf ? all / nf : NaN, each };
      }),
    };
  }
  return out;
}
