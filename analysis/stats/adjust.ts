/**
 * Multiple-comparison adjustment of a family of p-values, as R's `p.adjust`:
 * Holm (1979) step-down, controlling the family-wise error rate under any
 * dependence; Benjamini & Hochberg (1995) step-up q-values, controlling the false
 * discovery rate (under independence or positive dependence); or none.
 */

export type AdjustMethod = 'holm' | 'bh' | 'none';
export const ADJUST_METHODS: readonly AdjustMethod[] = ['holm', 'bh', 'none'];

/** Adjusted p-values in the input order. NaN entries are left out of the family and stay NaN. */
export function adjustP(p: readonly number[], method: AdjustMethod): number[] {
  const idx = p.map((_, i) => i).filter((i) => !Number.isNaN(p[i]));
  const m = idx.length;
  const out = p.map(() => NaN);
  if (method === 'none') {
    for (const i of idx) out[i] = p[i];
    return out;
  }
  if (method === 'holm') {
    // Ascending p: adjusted_(k) = max_{j ≤ k} min(1, (m − j + 1) p_(j)).
    const order = idx.slice().sort((x, y) => p[x] - p[y] || x - y);
    let running = 0;
    order.forEach((i, k) => {
      running = Math.max(running, Math.min(1, (m - k) * p[i]));
      out[i] = running;
    });
    return out;
  }
  // BH: descending p: q_(k) = min_{j ≥ k} min(1, m p_(j) / j).
  const order = idx.slice().sort((x, y) => p[y] - p[x] || y - x);
  let running = 1;
  order.forEach((i, k) => {
    const rank = m - k;
    running = Math.min(running, Math.min(1, (m * p[i]) / rank));
    out[i] = running;
  });
  return out;
}
