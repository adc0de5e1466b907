/**
 * Indices in order of a float32 column, ties by index: the order a comparison sort with
 * (a, b) => v[a] - v[b] || a - b gives, by a stable two-pass radix sort of the values'
 * bits in the thread's scratch buffer (scratch.ts). O(n), and nothing on the JS heap: a
 * comparison sort of a typed array with a comparator copies it into the heap, which at
 * 330,000 schools grew the heap by about 20 MB and the peak memory by about 60 bytes a
 * school for the set-up's two sorts.
 */
import { scratchBuffer } from './scratch.js';

/** Buckets of one 16-bit pass of the radix sorts here and in trust-table.ts. */
export const RADIX = 65536;
/** The scratch orderBy uses: RANK_SCRATCH bytes a value, then a RANK_TABLE-byte count table (a caller may put `out` after them). */
export const RANK_SCRATCH = 8;
export const RANK_TABLE = 4 * RADIX;

/** Write into `out` (length n) the indices 0 .. n-1 ordered by v (no NaN), ties by index; -0 counts as 0. */
export function orderBy(v: Float32Array, out: Int32Array): void {
  const n = v.length;
  const buf = scratchBuffer(RANK_SCRATCH * n + RANK_TABLE);
  const key = new Int32Array(buf, 0, n);
  const tmp = new Int32Array(buf, 4 * n, n);
  const count = new Int32Array(buf, RANK_SCRATCH * n, RADIX);
  const f = new Float32Array(1);
  const bits = new Int32Array(f.buffer);
  for (let i = 0; i < n; i++) {
    f[0] = v[i] === 0 ? 0 : v[i];
    const b = bits[0];
    // Order-preserving map of float bits to unsigned (kept in 32 bits): flip the sign bit of positives, every bit of negatives.
    key[i] = b >= 0 ? b ^ 0x80000000 : ~b;
  }
  count.fill(0);
  for (let i = 0; i < n; i++) count[key[i] & 0xffff]++;
  bucketStarts(count);
  for (let i = 0; i < n; i++) tmp[count[key[i] & 0xffff]++] = i;
  highPass(key, tmp, n, out, count);
}

/** Turn bucket counts into each bucket's first position (an exclusive prefix sum). */
export function bucketStarts(count: Int32Array): void {
  let sum = 0;
  for (let b = 0; b < RADIX; b++) {
    const c = count[b];
    count[b] = sum;
    sum += c;
  }
}

/**
 * The second pass of a two-pass radix sort: the k indices in `tmp`, already in order of
 * their keys' low 16 bits, into `out` in order of the high 16 bits, stably, so `out` is in
 * order of the whole 32-bit keys read as unsigned. `count` is RADIX long and overwritten.
 */
export function highPass(key: Int32Array, tmp: Int32Array, k: number, out: Int32Array, count: Int32Array): void {
  count.fill(0);
  for (let q = 0; q < k; q++) count[key[tmp[q]] >>> 16]++;
  bucketStarts(count);
  for (let q = 0; q < k; q++) {
    const i = tmp[q];
    out[count[key[i] >>> 16]++] = i;
  }
}
