/**
 * Portable elementary functions: the same bits on every JavaScript engine.
 *
 * ECMAScript leaves Math.exp, Math.log, Math.pow, Math.cos ... "implementation-
 * approximated", and engines differ in the last bit: Node 20's V8 (fdlibm-style) and
 * Chromium 156's V8 (close to correctly rounded) give different Math.exp for about 1
 * argument in 10, and likewise for log, pow, sin, cos. The CLI (Node) and the workshop
 * page (a browser) must give the same numbers for the same seed, so the engine and the
 * statistics use these instead. They are built only from +, -, *, / and Math.sqrt,
 * Math.round, Math.floor (exactly specified by IEEE 754 / ECMAScript) and exact scaling
 * by powers of two; JavaScript forbids fused multiply-add contraction, so every engine
 * evaluates them identically.
 *
 * Methods (textbook): exp by k = round(x / ln 2), r = x - k ln 2 in two parts (Cody and
 * Waite), Taylor series of e^r on |r| <= ln2 / 2 to r^13, times 2^k; log by
 * x = 2^k m with m in [sqrt(1/2), sqrt(2)), f = m - 1, s = f / (2 + f) and
 * ln(1 + f) = 2 atanh(s) = 2s + 2s^3/3 + ...; cos and sin of 2 pi u by reduction to
 * [0, 1/8] turn and Taylor series. Accuracy: within about 1 ulp (checked against
 * reference values in tests/sim/fmath.test.ts); allocation-free.
 */

// Infinity and NaN as module constants: a function that returns the globals `Infinity`
// or `NaN` on any path (even one never taken) had V8 box its every double result in a
// fresh heap number, which made the hot loops allocate and collect garbage.
const INF = 1 / 0;
const NAN = 0 / 0;

// ln 2 split: LN2_HI has 32 significant bits, so k * LN2_HI is exact for |k| < 2^21.
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const INV_LN2 = 1.4426950408889634;
const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;
const TWO_PI = 6.283185307179586;

// 2^k for k = -1074 .. 1023, built by exact doubling and halving.
const POW2_MIN = -1074;
const POW2 = new Float64Array(1023 - POW2_MIN + 1);
POW2[-POW2_MIN] = 1;
for (let k = 1; k <= 1023; k++) POW2[k - POW2_MIN] = POW2[k - 1 - POW2_MIN] * 2;
for (let k = -1; k >= POW2_MIN; k--) POW2[k - POW2_MIN] = POW2[k + 1 - POW2_MIN] / 2;

// the bits of a double, for log's exponent (allocation-free; HI = index of the high word)
const BITS = new Float64Array(1);
const WORDS = new Uint32Array(BITS.buffer);
BITS[0] = 1;
const HI = WORDS[1] === 0x3ff00000 ? 1 : 0;

/** 2^k for an integer k, exactly (0 or Infinity beyond the double range). */
export function pow2(k: number): number {
  if (k > 1023) return INF;
  if (k < POW2_MIN) return 0;
  return POW2[k - POW2_MIN];
}

// 1/n! for n = 2 .. 13
const E2 = 1 / 2;
const E3 = 1 / 6;
const E4 = 1 / 24;
const E5 = 1 / 120;
const E6 = 1 / 720;
const E7 = 1 / 5040;
const E8 = 1 / 40320;
const E9 = 1 / 362880;
const E10 = 1 / 3628800;
const E11 = 1 / 39916800;
const E12 = 1 / 479001600;
const E13 = 1 / 6227020800;

/** e^x, the same bits on every engine. */
export function exp(x: number): number {
  if (x !== x) return NAN;
  if (x > 709.782712893384) return INF;
  if (x < -745.1332191019412) return 0;
  const k = Math.round(x * INV_LN2);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  // the series from r^2/2! to r^13/13! by Estrin's scheme (short dependency chains)
  const r2 = r * r;
  const r4 = r2 * r2;
  const r8 = r4 * r4;
  const p = r2 * (E2 + r * E3 + r2 * (E4 + r * E5) + r4 * (E6 + r * E7 + r2 * (E8 + r * E9)) + r8 * (E10 + r * E11 + r2 * (E12 + r * E13)));
  const y = 1 + (r + p);
  // scale by 2^k in two exact steps when 2^k alone would leave the double range
  if (k > 1023) return y * 2 * POW2[1022 - POW2_MIN];
  if (k < -1022) return y * POW2[k + 64 - POW2_MIN] * POW2[-64 - POW2_MIN];
  return y * POW2[k - POW2_MIN];
}

// 2/(2n+1) for n = 1 .. 11
const L1 = 2 / 3;
const L2 = 2 / 5;
const L3 = 2 / 7;
const L4 = 2 / 9;
const L5 = 2 / 11;
const L6 = 2 / 13;
const L7 = 2 / 15;
const L8 = 2 / 17;
const L9 = 2 / 19;
const L10 = 2 / 21;
const L11 = 2 / 23;

/** Natural logarithm, the same bits on every engine. */
export function log(x: number): number {
  if (!(x > 0)) return x === 0 ? -INF : NAN;
  if (x === INF) return INF;
  // x = 2^k m with m in [1, 2): the exponent read from the bits, m = x 2^-k (exact)
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= POW2[54 - POW2_MIN];
    k = -54;
  }
  // (writing the high word back and reading the double again would stall the store
  // forwarding: a wide load over a narrow store; scaling by 2^-e is exact and quick)
  BITS[0] = x;
  const e = (WORDS[HI] >>> 20) - 1023;
  let m = x * POW2[-e - POW2_MIN];
  k += e;
  if (m > SQRT2) {
    m *= 0.5;
    k += 1;
  }
  const f = m - 1;
  const s = f / (2 + f);
  const z = s * s;
  // 2z/3 + 2z^2/5 + ... + 2z^11/23 by Estrin's scheme (short dependency chains)
  const z2 = z * z;
  const z4 = z2 * z2;
  const z8 = z4 * z4;
  const R = z * (L1 + z * L2 + z2 * (L3 + z * L4) + z4 * (L5 + z * L6 + z2 * (L7 + z * L8)) + z8 * (L9 + z * L10 + z2 * L11));
  const hfsq = 0.5 * f * f;
  return k * LN2_HI + (f - (hfsq - (s * (hfsq + R) + k * LN2_LO)));
}

/** ln(1 + x), accurate for small x, the same bits on every engine. */
export function log1p(x: number): number {
  const u = 1 + x;
  if (u === 1) return x;
  if (u === INF) return INF;
  // the rounding of 1 + x is corrected by x / (u - 1) (u - 1 is exact)
  return log(u) * (x / (u - 1));
}

/** log2(x) = ln(x) / ln 2 (exact for powers of two), the same bits on every engine. */
export function log2(x: number): number {
  return log(x) / LN2;
}

/**
 * x^y for x >= 0 as e^(y ln x): relative error about |y ln x| ulps, enough for the
 * model's decay factors and draws; exact for x = 2 and integer y; the same bits on
 * every engine.
 */
export function pow(x: number, y: number): number {
  if (y === 0) return 1;
  if (x === 2 && Number.isInteger(y)) return pow2(y);
  if (x === 1) return 1;
  if (x === 0) return y > 0 ? 0 : INF;
  if (!(x > 0)) return NAN;
  return exp(y * log(x));
}

// (-1)^n / (2n)! and (-1)^n / (2n+1)!
const C2 = -1 / 2;
const C4 = 1 / 24;
const C6 = -1 / 720;
const C8 = 1 / 40320;
const C10 = -1 / 3628800;
const C12 = 1 / 479001600;
const C14 = -1 / 87178291200;
const C16 = 1 / 20922789888000;
const S3 = -1 / 6;
const S5 = 1 / 120;
const S7 = -1 / 5040;
const S9 = 1 / 362880;
const S11 = -1 / 39916800;
const S13 = 1 / 6227020800;
const S15 = -1 / 1307674368000;
const S17 = 1 / 355687428096000;

function cosSmall(x: number): number {
  const z = x * x;
  return 1 + z * (C2 + z * (C4 + z * (C6 + z * (C8 + z * (C10 + z * (C12 + z * (C14 + z * C16)))))));
}

function sinSmall(x: number): number {
  const z = x * x;
  return x + x * z * (S3 + z * (S5 + z * (S7 + z * (S9 + z * (S11 + z * (S13 + z * (S15 + z * S17)))))));
}

// cos2pi's quarter turns: the reduced angle's offset and the weights of cos and sin
const QUARTER = new Float64Array([0, 0.25, 0.5]);
const COS_W = new Float64Array([1, 0, -1]);
const SIN_W = new Float64Array([0, -1, 0]);

/**
 * cos(2 pi u) for finite u (an angle in turns), the same bits on every engine. The angle
 * a = |u - round(u)| in [0, 1/2] is taken to the nearest quarter turn q/4 (q = 0 up to
 * a = 1/8, 1 below 3/8, 2 from 3/8) and r = a - q/4 is exact; cos(2 pi a) is then
 * cos(2 pi r), -sin(2 pi r) or -cos(2 pi r). Both series are evaluated and weighted by
 * table, without a branch on the angle: draws make it random, and mispredicted branches
 * cost more than the second series.
 */
export function cos2pi(u: number): number {
  if (!Number.isFinite(u)) return NAN;
  const a = Math.abs(u - Math.round(u)); // in [0, 1/2]: cos is even and has period 1 turn
  let q = Math.ceil(4 * a - 0.5); // exact: 0 for a <= 1/8, 1 for 1/8 < a < 3/8, 2 from 3/8
  if (a === 0.375) q = 2;
  const x = TWO_PI * (a - QUARTER[q]);
  return COS_W[q] * cosSmall(x) + SIN_W[q] * sinSmall(x);
}

/** sin(2 pi u) for finite u (an angle in turns), the same bits on every engine. */
export function sin2pi(u: number): number {
  if (!Number.isFinite(u)) return NAN;
  let t = u - Math.round(u); // in [-1/2, 1/2]
  let sign = 1;
  if (t < 0) {
    t = -t;
    sign = -1;
  }
  if (t > 0.25) t = 0.5 - t; // sin(pi - x) = sin x
  return sign * (t <= 0.125 ? sinSmall(TWO_PI * t) : cosSmall(TWO_PI * (0.25 - t)));
}
