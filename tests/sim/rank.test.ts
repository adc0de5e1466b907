/**
 * orderBy (rank.ts): the radix order of a float32 column equals a comparison sort by
 * value with ties by index, for negative and positive values, zeros of both signs,
 * repeated values and values of very different sizes.
 */
import { describe, expect, it } from 'vitest';
import { orderBy } from '../../sim/rank.js';

describe('orderBy', () => {
  it('gives the order of a comparison sort (value, then index)', () => {
    let x = 4242;
    const rand = (): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x / 2 ** 32;
    };
    const n = 5000;
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const r = rand();
      v[i] = r < 0.1 ? 0 : r < 0.15 ? -0 : r < 0.3 ? Math.round(rand() * 5) - 2 : r < 0.5 ? (rand() - 0.5) * 1e-30 : (rand() - 0.5) * 10 ** Math.floor(rand() * 12);
    }
    const want = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b] || a - b);
    const out = new Int32Array(n);
    orderBy(v, out);
    expect(Array.from(out)).toEqual(want);
  });

  it('orders a tiny column', () => {
    const out = new Int32Array(4);
    orderBy(Float32Array.from([3, -1, 3, -0]), out);
    expect(Array.from(out)).toEqual([1, 3, 0, 2]);
  });
});
