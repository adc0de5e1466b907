/**
 * Sobol' low-discrepancy sequence (base-2 digital sequence), used to build
 * quasi-random experimental designs, in particular the Saltelli design for
 * variance-based sensitivity indices.
 *
 * Method: I. M. Sobol' (1967), generated in Gray-code order (Antonov & Saleev
 * 1979): point i+1 is point i XOR one direction number, the one selected by the
 * lowest zero bit of i. Direction numbers are Joe & Kuo's `new-joe-kuo-6.21201`
 * set (S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better
 * two-dimensional projections", SIAM J. Sci. Comput. 30:2635-2654, 2008),
 * transcribed below for the first 40 dimensions from the published table
 * (https://web.maths.unsw.edu.au/~fkuo/sobol/). Dimension 1 is the van der
 * Corput sequence and needs no table row.
 *
 * Arithmetic is 32-bit: at most 2^32 points, each coordinate a multiple of
 * 2^-32 in [0, 1). Unscrambled by default (fully deterministic). With a
 * `scramble` generator the sequence is randomised by a random linear matrix
 * scramble and a random digital shift (Matoušek 1998, "On the L2-discrepancy
 * for anchored boxes", J. Complexity 14:527-556; Owen 2003, "Variance with
 * alternative scramblings of digital nets", ACM TOMACS 13:363-378): each
 * coordinate's digits are mapped by a random non-singular lower-triangular
 * binary matrix and XORed with random digits. Every point is then uniform on
 * [0, 1)^d, the net structure is kept, and independently scrambled copies give
 * independent, unbiased estimates whose spread measures the error
 * (randomised quasi-Monte Carlo).
 *
 * First point: the point at index 0 is the origin. By default it is skipped
 * (`skip = 1`), as is customary (Bratley & Fox 1988; older SALib), so the
 * first point returned is (0.5, 0.5, ...). Note that skipping breaks the
 * (0, m, 1)-net property of 2^m-point prefixes (Owen 2020, "On dropping the
 * first Sobol' point"); pass `skip: 0` to get the unskipped sequence, whose
 * prefixes of 2^m points are exactly stratified in every coordinate.
 */
import type { Rng } from '../../sim/rng.js';

/** Number of bits of each coordinate, and log2 of the maximum number of points. */
export const SOBOL_BITS = 32;

/**
 * Joe–Kuo rows for dimensions 2..40: `[s, a, m_1, ..., m_s]`, where `s` is the
 * degree of the primitive polynomial, `a` encodes its interior coefficients
 * (bit s-1-k is the coefficient of x^(s-k), k = 1..s-1) and `m_k` are the
 * initial odd direction integers (m_k < 2^k).
 */
const JOE_KUO: readonly (readonly number[])[] = [
  [1, 0, 1], // d = 2
  [2, 1, 1, 3], // d = 3
  [3, 1, 1, 3, 1], // d = 4
  [3, 2, 1, 1, 1], // d = 5
  [4, 1, 1, 1, 3, 3], // d = 6
  [4, 4, 1, 3, 5, 13], // d = 7
  [5, 2, 1, 1, 5, 5, 17], // d = 8
  [5, 4, 1, 1, 5, 5, 5], // d = 9
  [5, 7, 1, 1, 7, 11, 19], // d = 10
  [5, 11, 1, 1, 5, 1, 1], // d = 11
  [5, 13, 1, 1, 1, 3, 11], // d = 12
  [5, 14, 1, 3, 5, 5, 31], // d = 13
  [6, 1, 1, 3, 3, 9, 7, 49], // d = 14
  [6, 13, 1, 1, 1, 15, 21, 21], // d = 15
  [6, 16, 1, 3, 1, 13, 27, 49], // d = 16
  [6, 19, 1, 1, 1, 15, 7, 5], // d = 17
  [6, 22, 1, 3, 1, 15, 13, 25], // d = 18
  [6, 25, 1, 1, 5, 5, 19, 61], // d = 19
  [7, 1, 1, 3, 7, 11, 23, 15, 103], // d = 20
  [7, 4, 1, 3, 7, 13, 13, 15, 69], // d = 21
  [7, 7, 1, 1, 3, 13, 7, 35, 63], // d = 22
  [7, 8, 1, 3, 5, 9, 1, 25, 53], // d = 23
  [7, 14, 1, 3, 1, 13, 9, 35, 107], // d = 24
  [7, 19, 1, 3, 1, 5, 27, 61, 31], // d = 25
  [7, 21, 1, 1, 5, 11, 19, 41, 61], // d = 26
  [7, 28, 1, 3, 5, 3, 3, 13, 69], // d = 27
  [7, 31, 1, 1, 7, 13, 1, 19, 1], // d = 28
  [7, 32, 1, 3, 7, 5, 13, 19, 59], // d = 29
  [7, 37, 1, 1, 3, 9, 25, 29, 41], // d = 30
  [7, 41, 1, 3, 5, 13, 23, 1, 55], // d = 31
  [7, 42, 1, 3, 7, 3, 13, 59, 17], // d = 32
  [7, 50, 1, 3, 1, 3, 5, 53, 69], // d = 33
  [7, 55, 1, 1, 5, 5, 23, 33, 13], // d = 34
  [7, 56, 1, 1, 7, 7, 1, 61, 123], // d = 35
  [7, 59, 1, 1, 7, 9, 13, 61, 49], // d = 36
  [7, 62, 1, 3, 3, 5, 3, 55, 33], // d = 37
  [8, 14, 1, 3, 1, 15, 31, 13, 49, 245], // d = 38
  [8, 21, 1, 3, 5, 15, 31, 59, 63, 97], // d = 39
  [8, 22, 1, 3, 1, 11, 11, 11, 77, 249], // d = 40
];

/** Highest supported dimension (the van der Corput dimension plus the table rows). */
export const SOBOL_MAX_DIMENSION = JOE_KUO.length + 1;

/** Primitive-polynomial data for one dimension (1-based, as in Joe & Kuo's table). */
export interface SobolPolynomial {
  /** Dimension, 1-based. */
  dimension: number;
  /** Degree s of the primitive polynomial (0 for dimension 1). */
  degree: number;
  /** Interior coefficients a, as in Joe & Kuo's table. */
  a: number;
  /** Initial direction integers m_1..m_s. */
  m: readonly number[];
}

/**
 * The Joe–Kuo polynomial and initial direction integers for a 1-based
 * dimension. Dimension 1 (van der Corput) has degree 0 and no m values.
 */
export function sobolPolynomial(dimension: number): SobolPolynomial {
  checkDimension(dimension);
  if (dimension === 1) return { dimension, degree: 0, a: 0, m: [] };
  const row = JOE_KUO[dimension - 2];
  return { dimension, degree: row[0], a: row[1], m: row.slice(2) };
}

/**
 * The 32 direction numbers v_1..v_32 of a 1-based dimension, scaled by 2^32
 * (v_k = m_k · 2^(32-k)), from the recurrence
 * v_k = v_(k-s) ⊕ (v_(k-s) >> s) ⊕ ⨁_(j=1..s-1) a_j v_(k-j).
 * Element k-1 of the result is v_k.
 */
export function sobolDirectionNumbers(dimension: number): Uint32Array {
  checkDimension(dimension);
  const v = new Uint32Array(SOBOL_BITS);
  if (dimension === 1) {
    for (let k = 1; k <= SOBOL_BITS; k++) v[k - 1] = 2 ** (SOBOL_BITS - k);
    return v;
  }
  const row = JOE_KUO[dimension - 2];
  const s = row[0];
  const a = row[1];
  for (let k = 1; k <= Math.min(s, SOBOL_BITS); k++) v[k - 1] = row[1 + k] * 2 ** (SOBOL_BITS - k);
  for (let k = s + 1; k <= SOBOL_BITS; k++) {
    let x = v[k - s - 1] ^ (v[k - s - 1] >>> s);
    for (let j = 1; j <= s - 1; j++) {
      if ((a >>> (s - 1 - j)) & 1) x ^= v[k - j - 1];
    }
    v[k - 1] = x >>> 0;
  }
  return v;
}

/** Options for {@link SobolSequence} and {@link sobolPoints}. */
export interface SobolOptions {
  /**
   * Number of leading points of the sequence to skip (default 1: drop the
   * origin). Use 0 to keep the origin, e.g. when 2^m-point balance matters.
   */
  skip?: number;
  /** Randomise the sequence (linear matrix scramble + digital shift) with draws from this generator. */
  scramble?: Rng;
}

const TWO_POW_32 = 2 ** 32;
const MAX_INDEX = TWO_POW_32 - 1;

/**
 * Incremental Sobol' sequence generator in Gray-code order.
 *
 * ```ts
 * const s = new SobolSequence(2);      // skips the origin
 * s.next(); // Float64Array [0.5, 0.5]
 * s.next(); // Float64Array [0.75, 0.25]
 * ```
 */
export class SobolSequence {
  /** Number of coordinates per point. */
  readonly dimension: number;
  /** Direction numbers, dimension-major: v[j * 32 + k] is v_(k+1) of dimension j+1. */
  private readonly v: Uint32Array;
  /** Current integer coordinates (point at index `position`). */
  private readonly x: Uint32Array;
  /** Index, in the unskipped sequence, of the point held in `x`. */
  private position = 0;
  /** Digital shift per coordinate (0 when not scrambled). */
  private readonly shift: Uint32Array;

  /**
   * Linear matrix scramble of the direction numbers and a digital shift. Bit 31
   * of a direction number is the coordinate's first binary digit; row r of the
   * lower-triangular matrix (digit r+1 of the output) has its diagonal bit set and
   * random bits for the earlier digits, so output digit r = digit r ⊕ (random
   * combination of digits 1..r). Draw order: per coordinate, rows 1..31, then the shift.
   */
  private scramble(rng: Rng): void {
    const rand32 = (): number => ((rng.int(65536) << 16) | rng.int(65536)) >>> 0;
    const rows = new Uint32Array(SOBOL_BITS);
    for (let j = 0; j < this.dimension; j++) {
      for (let r = 0; r < SOBOL_BITS; r++) {
        const diag = (1 << (31 - r)) >>> 0;
        // Bits above the diagonal position (earlier digits) are random.
        const above = r === 0 ? 0 : (rand32() & ~((diag << 1) - 1)) >>> 0;
        rows[r] = (above | diag) >>> 0;
      }
      for (let k = 0; k < SOBOL_BITS; k++) {
        const v = this.v[j * SOBOL_BITS + k];
        let out = 0;
        for (let r = 0; r < SOBOL_BITS; r++) if (parity(rows[r] & v)) out |= 1 << (31 - r);
        this.v[j * SOBOL_BITS + k] = out >>> 0;
      }
      this.shift[j] = rand32();
    }
  }

  /**
   * @param dimension number of coordinates, 1..{@link SOBOL_MAX_DIMENSION}
   * @param options `skip` leading points (default 1)
   */
  constructor(dimension: number, options: SobolOptions = {}) {
    if (!Number.isInteger(dimension) || dimension < 1 || dimension > SOBOL_MAX_DIMENSION) {
      throw new RangeError(`Sobol dimension must be an integer in 1..${SOBOL_MAX_DIMENSION}, got ${dimension}`);
    }
    this.dimension = dimension;
    this.v = new Uint32Array(dimension * SOBOL_BITS);
    for (let j = 0; j < dimension; j++) this.v.set(sobolDirectionNumbers(j + 1), j * SOBOL_BITS);
    this.shift = new Uint32Array(dimension);
    if (options.scramble) this.scramble(options.scramble);
    this.x = new Uint32Array(dimension);
    this.seek(options.skip ?? 1);
  }

  /** Index (in the unskipped sequence) of the point the next call to {@link next} returns. */
  get index(): number {
    return this.position;
  }

  /**
   * Jump so that the next point returned is the one at `index` of the
   * unskipped sequence (index 0 is the origin). Uses the closed form
   * x_i = ⨁ over set bits k of gray(i) of v_(k+1).
   */
  seek(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index > MAX_INDEX) {
      throw new RangeError(`Sobol index must be an integer in 0..2^32-1, got ${index}`);
    }
    const gray = (index ^ (index >>> 1)) >>> 0;
    for (let j = 0; j < this.dimension; j++) {
      let x = 0;
      for (let k = 0; k < SOBOL_BITS; k++) {
        if ((gray >>> k) & 1) x ^= this.v[j * SOBOL_BITS + k];
      }
      this.x[j] = x >>> 0;
    }
    this.position = index;
  }

  /**
   * The next point, written into `out` if given (length ≥ dimension),
   * otherwise into a new Float64Array. Coordinates are in [0, 1).
   */
  next(out?: Float64Array): Float64Array {
    if (this.position > MAX_INDEX) throw new RangeError('Sobol sequence exhausted (2^32 points)');
    const d = this.dimension;
    const result = out ?? new Float64Array(d);
    for (let j = 0; j < d; j++) result[j] = ((this.x[j] ^ this.shift[j]) >>> 0) / TWO_POW_32;
    // Advance: x_(i+1) = x_i XOR v_c, c = 1 + position of the lowest zero bit of i.
    const i = this.position;
    if (i < MAX_INDEX) {
      const lowZero = ~i & (i + 1); // lowest zero bit of i, as a power of two (int32 arithmetic)
      const c = 31 - Math.clz32(lowZero);
      for (let j = 0; j < d; j++) this.x[j] = (this.x[j] ^ this.v[j * SOBOL_BITS + c]) >>> 0;
    }
    this.position = i + 1;
    return result;
  }
}

/**
 * The first `n` points (after `skip`, default 1) of the `dimension`-dimensional
 * Sobol' sequence, as an array of rows.
 */
export function sobolPoints(n: number, dimension: number, options: SobolOptions = {}): number[][] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`number of points must be a non-negative integer, got ${n}`);
  const seq = new SobolSequence(dimension, options);
  if (seq.index + n - 1 > MAX_INDEX) throw new RangeError('Sobol sequence has at most 2^32 points');
  const buf = new Float64Array(dimension);
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = Array.from(seq.next(buf));
  return rows;
}

/** Parity of the set bits of a 32-bit integer. */
function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

function checkDimension(dimension: number): void {
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > SOBOL_MAX_DIMENSION) {
    throw new RangeError(`Sobol dimension must be an integer in 1..${SOBOL_MAX_DIMENSION}, got ${dimension}`);
  }
}
