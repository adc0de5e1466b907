/**
 * Mechanism 1 — need drives joining (NAO [7, 2.12-2.14]).
 * Schools join mainly in response to local need: poor attainment or behaviour, and
 * deprivation of the intake. Schools without such problems mostly see no reason to
 * join, so partnering is uneven: higher performers and low-FSM schools partner less
 * (NAO [14, 2.6]). Need is a number in [0, 1] per focus:
 *   z_att = fsmWeight x FSM z-score + attainment shortfall / attainmentScale
 *           - trend + Ofsted progress satisfactory/inadequate - higher-performer discount
 *   z_beh = excess exclusions + Ofsted behaviour satisfactory/inadequate
 *           + crossWeight x (the attainment part) - higher-performer discount
 *   need  = baseline + (1 - baseline) logistic(2z - 1).
 * "Higher performing" is the report's definition (NAO footnote 1): the top quartile of
 * attainment at 14, or Ofsted good or outstanding for progress or for behaviour, taken
 * on the model's own distribution now (the quartile is recomputed each year, the grades
 * are each school's latest). Willingness is need times openness, a lognormal spread
 * between schools (formation.opennessSd) for leadership and local culture.
 */
import { ATTAINMENT_MEAN } from './outcomes.js';
import { DRAW_BLOCK, drawBuffer, type Stream } from './streams.js';
import type { State } from './state.js';
import * as fmath from './fmath.js';

const logistic = (z: number): number => 1 / (1 + fmath.exp(-z));

/** The top-quartile threshold of current attainment: the value a sort would put at 75% (selection in a preallocated copy, O(n), once a year). */
export function updateTopQuartile(s: State): void {
  const b = s.sortBuf;
  b.set(s.attainment);
  s.topQuartile = select(b, Math.min(s.n - 1, Math.floor(s.n * 0.75)));
}

/** The k-th smallest value of a (Hoare's selection; reorders a). Equal to sorting then a[k]. */
export function select(a: Float32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Is school i a higher performer (NAO footnote 1) now? */
export function isHigherPerformer(s: State, i: number): boolean {
  return s.attainment[i] >= s.topQuartile || s.ofstedProgress[i] <= 2 || s.ofstedBehaviour[i] <= 2;
}

/**
 * Need scores for every school, plus the higher-performer flag. O(schools). DRAW_BLOCK
 * schools at a time: their 2z - 1 for both kinds into a buffer (attainment, then behaviour), then the logistic of the
 * whole buffer from one call site, then the needs. With a logistic call per kind beside
 * the log in one loop body, V8's inlining budget left one of the three calls out of line,
 * and that call returned each double boxed (garbage in the step loop).
 */
export function updateNeed(s: State, nationalExclusionRate: number, nationalMean: number): void {
  const pn = s.p.need;
  const base = pn.baseline;
  const shift = nationalMean - ATTAINMENT_MEAN;
  const B = DRAW_BLOCK;
  const z = drawBuffer(2 * B);
  for (let from = 0; from < s.n; from += B) {
    const m = Math.min(B, s.n - from);
    for (let j = 0; j < m; j++) {
      const i = from + j;
      // The report's higher performer (footnote 1) is high on results or on behaviour; each
      // kind of need is discounted where the school has no problem of that kind: attainment
      // "not an issue" [2.13], able to cope with behaviour alone [2.14].
      const attHigh = s.attainment[i] >= s.topQuartile || s.ofstedProgress[i] <= 2;
      const behHigh = s.ofstedBehaviour[i] <= 2;
      s.highPerformer[i] = attHigh || behHigh ? 1 : 0;
      const discount = attHigh ? pn.highPerformerDiscount : 0;
      const behDiscount = behHigh ? pn.highPerformerDiscount : 0;
      const shortfall = (ATTAINMENT_MEAN + shift - s.attainment[i]) / pn.attainmentScale;
      const gp = s.ofstedProgress[i];
      const results = shortfall - (0.5 * s.trend[i]) / pn.attainmentScale + (gp >= 3 ? 0.7 : 0) + (gp === 4 ? 0.7 : 0);
      const deprivation = pn.fsmWeight * s.fsmZ(i);
      const za = deprivation + results - discount;
      const rate = (s.fixedTerm[i] * s.spy) / Math.max(1, s.world.pupils[i]);
      const excess = fmath.log((rate + 0.005) / (nationalExclusionRate + 0.005)) / pn.behaviourScale;
      const gb = s.ofstedBehaviour[i];
      // Deprivation drives both kinds of need, so a share of the attainment shortfall counts here too.
      const zb = excess + (gb >= 3 ? 0.7 : 0) + (gb === 4 ? 0.7 : 0) + deprivation + pn.crossWeight * results - behDiscount;
      z[j] = 2 * za - 1;
      z[m + j] = 2 * zb - 1;
    }
    for (let k = 0; k < 2 * m; k++) z[k] = logistic(z[k]);
    for (let j = 0; j < m; j++) {
      s.needAtt[from + j] = base + (1 - base) * z[j];
      s.needBeh[from + j] = base + (1 - base) * z[m + j];
    }
  }
}

/** Willingness to partner on a focus: need (plus any incentive for higher performers, NAO [21e]) times the school's openness. */
export function willingness(s: State, i: number, behaviourFocus: boolean, incentive: number): number {
  const need = behaviourFocus ? s.needBeh[i] : s.needAtt[i];
  return (s.highPerformer[i] ? need + incentive : need) * s.openness[i];
}

/** Draw each school's openness: lognormal with mean 1, from the openness stream at (school, 0, 0). */
export function drawOpenness(s: State, st: Stream): void {
  const sd = s.p.formation.opennessSd;
  for (let i = 0; i < s.n; i++) s.openness[i] = fmath.exp(sd * st.normal(i, 0, 0) - (sd * sd) / 2);
}
