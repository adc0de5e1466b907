import { describe, expect, it } from 'vitest';
import {
  SOBOL_MAX_DIMENSION,
  SobolSequence,
  sobolDirectionNumbers,
  sobolPoints,
  sobolPolynomial,
} from '../../../analysis/sensitivity/sobol-sequence.js';

const TWO32 = 2 ** 32;

describe('Sobol sequence: known points', () => {
  it('dimensions 1 and 2 start with the textbook values (origin skipped by default)', () => {
    const pts = sobolPoints(8, 2);
    expect(pts.map((p) => p[0])).toEqual([0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125, 0.1875]);
    expect(pts.map((p) => p[1])).toEqual([0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625, 0.3125]);
  });

  it('matches the Joe–Kuo reference listing of the first 3-D points (origin included)', () => {
    // First ten points of the 3-D sequence as listed with Joe & Kuo's generator.
    const reference = [
      [0, 0, 0],
      [0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25],
      [0.25, 0.75, 0.75],
      [0.375, 0.375, 0.625],
      [0.875, 0.875, 0.125],
      [0.625, 0.125, 0.875],
      [0.125, 0.625, 0.375],
      [0.1875, 0.3125, 0.9375],
      [0.6875, 0.8125, 0.4375],
    ];
    expect(sobolPoints(10, 3, { skip: 0 })).toEqual(reference);
  });

  it('matches an independent implementation (SciPy qmc.Sobol, unscrambled, 32 bits) in all 40 dimensions', () => {
    // Coordinates × 2^32 of the points at indices 4095 and 1000003, produced by
    // scipy.stats.qmc.Sobol(d=40, scramble=False, bits=32) after fast_forward(index).
    const reference: Record<number, number[]> = {
      4095: [
        1048576, 4042260480, 1435500544, 3872391168, 4038066176, 338690048, 4077912064, 1678770176, 823132160,
        1058013184, 2446327808, 1380974592, 1584398336, 2232418304, 2366636032, 1789919232, 267386880, 2616197120,
        3492806656, 2238709760, 969932800, 3144679424, 2911895552, 1913651200, 787480576, 2289041408, 1626341376,
        122683392, 4012900352, 3673161728, 1552941056, 376438784, 3266314240, 1129316352, 4092592128, 753926144,
        2492465152, 1408237568, 711983104, 976224256,
      ],
      1000003: [
        1187450880, 2413424640, 334991360, 1796354048, 3773812736, 2341023744, 948097024, 1145868288, 216535040,
        18903040, 3815354368, 2925629440, 2247200768, 1216950272, 3861630976, 2001866752, 828977152, 2179633152,
        3620204544, 2715676672, 3393581056, 877473792, 3925905408, 1028861952, 1705889792, 1234472960, 3797078016,
        2389913600, 4046352384, 1217761280, 2802405376, 1251569664, 2704707584, 3582218240, 1431900160, 236621824,
        796602368, 2447634432, 2990010368, 1122742272,
      ],
    };
    expect(SOBOL_MAX_DIMENSION).toBeGreaterThanOrEqual(40);
    for (const [index, ints] of Object.entries(reference)) {
      const got = new SobolSequence(40, { skip: Number(index) }).next();
      expect(Array.from(got, (v) => v * TWO32)).toEqual(ints);
    }
    // The same point reached by stepping from the origin rather than by seek().
    const seq = new SobolSequence(40, { skip: 0 });
    let p = seq.next();
    for (let i = 1; i <= 4095; i++) p = seq.next();
    expect(Array.from(p, (v) => v * TWO32)).toEqual(reference[4095]);
  });
});

describe('Sobol sequence: structure', () => {
  const K = 14;
  const n = 2 ** K;
  const d = SOBOL_MAX_DIMENSION;
  const pts = sobolPoints(2 * n, d, { skip: 0 });

  it('values lie in [0, 1) on the 2^-32 lattice', () => {
    let bad = 0;
    for (const p of pts) {
      for (const v of p) if (!(v >= 0 && v < 1) || !Number.isInteger(v * TWO32)) bad++;
    }
    expect(pts.length).toBe(2 * n);
    expect(bad).toBe(0);
  });

  it('every 2^k-point prefix is stratified in every dimension (one point per interval of width 2^-k)', () => {
    for (let j = 0; j < d; j++) {
      for (let k = 0; k <= K; k++) {
        const m = 2 ** k;
        const seen = new Uint8Array(m);
        for (let i = 0; i < m; i++) seen[Math.floor(pts[i][j] * m)]++;
        expect(seen.every((c) => c === 1), `dimension ${j + 1}, k = ${k}`).toBe(true);
      }
    }
  });

  it('the block of points 2^k .. 2^(k+1)-1 is stratified as well', () => {
    for (let j = 0; j < d; j++) {
      const seen = new Uint8Array(n);
      for (let i = n; i < 2 * n; i++) seen[Math.floor(pts[i][j] * n)]++;
      expect(seen.every((c) => c === 1), `dimension ${j + 1}`).toBe(true);
    }
  });

  it('dimensions 1 and 2 form a (0, m, 2)-net: one point in every elementary box of area 2^-m', () => {
    const m = 10;
    const size = 2 ** m;
    for (let a = 0; a <= m; a++) {
      const nx = 2 ** a;
      const ny = 2 ** (m - a);
      const seen = new Uint8Array(size);
      for (let i = 0; i < size; i++) seen[Math.floor(pts[i][0] * nx) * ny + Math.floor(pts[i][1] * ny)]++;
      expect(seen.every((c) => c === 1), `box ${nx} x ${ny}`).toBe(true);
    }
  });

  it('the default skips exactly the origin', () => {
    const skipped = sobolPoints(100, 5);
    expect(skipped).toEqual(pts.slice(1, 101).map((p) => p.slice(0, 5)));
    expect(new SobolSequence(5).index).toBe(1);
  });

  it('seek(i) gives the same point as stepping i times, and next(out) fills the buffer', () => {
    const seq = new SobolSequence(d, { skip: 0 });
    for (const i of [0, 1, 2, 3, 1000, n - 1, n, 2 * n - 1]) {
      seq.seek(i);
      const out = new Float64Array(d);
      const r = seq.next(out);
      expect(r).toBe(out);
      expect(Array.from(out)).toEqual(pts[i]);
      expect(seq.index).toBe(i + 1);
    }
  });

  it('rejects unsupported dimensions and indices', () => {
    expect(() => new SobolSequence(0)).toThrow(RangeError);
    expect(() => new SobolSequence(SOBOL_MAX_DIMENSION + 1)).toThrow(RangeError);
    expect(() => new SobolSequence(2, { skip: -1 })).toThrow(RangeError);
    expect(() => new SobolSequence(2, { skip: 2 ** 32 })).toThrow(RangeError);
    expect(() => sobolPoints(2, 2, { skip: 2 ** 32 - 1 })).toThrow(RangeError);
  });
});

describe('Sobol direction numbers (Joe–Kuo table)', () => {
  /** Multiplicative order of x modulo the GF(2) polynomial p of degree s (bits = coefficients), or 0 if x^k never returns to 1. */
  function orderOfX(p: number, s: number): number {
    let r = 1;
    const limit = 2 ** s;
    for (let k = 1; k <= limit; k++) {
      r <<= 1;
      if (r & (1 << s)) r ^= p;
      if (r === 1) return k;
    }
    return 0;
  }
  const isPrimitive = (p: number, s: number) => orderOfX(p, s) === 2 ** s - 1;
  /** Polynomial x^s + a_1 x^(s-1) + ... + a_(s-1) x + 1 from Joe & Kuo's (s, a) encoding. */
  const poly = (s: number, a: number) => (1 << s) | (a << 1) | 1;

  it('each row is a primitive polynomial, and each degree lists the primitive polynomials in increasing order of a', () => {
    const byDegree = new Map<number, number[]>();
    for (let dim = 2; dim <= SOBOL_MAX_DIMENSION; dim++) {
      const { degree, a } = sobolPolynomial(dim);
      expect(isPrimitive(poly(degree, a), degree), `dimension ${dim}`).toBe(true);
      byDegree.set(degree, [...(byDegree.get(degree) ?? []), a]);
    }
    const maxDegree = Math.max(...byDegree.keys());
    for (const [s, as] of byDegree) {
      const all: number[] = [];
      for (let a = 0; a < 2 ** (s - 1); a++) if (isPrimitive(poly(s, a), s)) all.push(a);
      // Every degree below the last is complete; the last is a prefix.
      if (s < maxDegree) expect(as, `degree ${s}`).toEqual(all);
      else expect(as, `degree ${s}`).toEqual(all.slice(0, as.length));
    }
    // Degrees are non-decreasing with dimension.
    const degrees = Array.from({ length: SOBOL_MAX_DIMENSION - 1 }, (_, i) => sobolPolynomial(i + 2).degree);
    expect(degrees).toEqual([...degrees].sort((x, y) => x - y));
  });

  it('initial direction integers are odd and m_k < 2^k', () => {
    for (let dim = 2; dim <= SOBOL_MAX_DIMENSION; dim++) {
      const { degree, m } = sobolPolynomial(dim);
      expect(m.length).toBe(degree);
      m.forEach((mk, i) => {
        expect(mk % 2, `dimension ${dim} m_${i + 1}`).toBe(1);
        expect(mk < 2 ** (i + 1), `dimension ${dim} m_${i + 1}`).toBe(true);
      });
    }
  });

  it('every direction number v_k (k = 1..32) is an odd multiple of 2^(32-k), as the recurrence must preserve', () => {
    for (let dim = 1; dim <= SOBOL_MAX_DIMENSION; dim++) {
      const v = sobolDirectionNumbers(dim);
      expect(v.length).toBe(32);
      v.forEach((x, i) => {
        const lowestSetBit = 31 - Math.clz32(x & -x);
        expect(lowestSetBit, `dimension ${dim} v_${i + 1}`).toBe(31 - i);
      });
    }
  });
});
