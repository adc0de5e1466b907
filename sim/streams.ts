/**
 * Counter-based random numbers for exact common random numbers.
 *
 * Every random process of the model (outcomes, exclusions, inspection, people,
 * formation, ...) owns a `Stream`: a keyed hash, not a sequential generator. A draw
 * is a pure function of the stream's key and three integers naming *what* is drawn,
 * typically (school, step, purpose) or (partnership id, step, purpose):
 *   u = H(key, a, b, c), uniform on (0, 1) with 32-bit resolution.
 * So a school's draw in one process never shifts because another school, another
 * process or a policy lever consumed more or fewer numbers: two scenarios of the same
 * replication see the same uniform for the same (school, step, purpose), whatever
 * either did before. Every sampler uses a fixed number of uniforms: Poisson counts by
 * inversion of one uniform, normals by Box-Muller on two, exponentials by inversion.
 * Inversion also couples well: a small change in a Poisson mean changes the count
 * rarely and by one. Loops over every school draw in blocks (uniforms, normals,
 * poissonInverses): the same numbers as one call per school, written to a typed array.
 *
 * The hash chains the MurmurHash3 32-bit finaliser (a bijection with full avalanche)
 * over the key and the three integers (Appleby, MurmurHash3, public domain algorithm;
 * the counter-based idea after Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3", SC 2011). tests/sim/streams.test.ts checks uniformity, independence of
 * neighbouring counters and the samplers' moments.
 */
import { hashKey } from './rng.js';
import * as fmath from './fmath.js';

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/**
 * The keyed hash of (a, b, c) as a signed 32-bit integer (callers take `>>> 0`): four
 * rounds of the finaliser. Signed, so a call that is not inlined returns a small
 * integer rather than a boxed double.
 */
function hash(k0: number, k1: number, a: number, b: number, c: number): number {
  return hashFrom(k0, k1 ^ Math.imul(b | 0, 0x85ebca77), Math.imul(c | 0, 0x27d4eb2f) ^ 0x165667b1, a);
}

/** hash() with the parts that depend only on b and c (with the key) computed once: kb = k1 ^ B(b), kc = C(c). */
function hashFrom(k0: number, kb: number, kc: number, a: number): number {
  let h = fmix(k0 ^ Math.imul(a | 0, 0x9e3779b1));
  h = fmix(h ^ kb);
  h = fmix(h ^ kc);
  return fmix(h + k0);
}

const TWO32 = 4294967296;
const TWO_PI = 2 * Math.PI;

/** Schools per block draw: the step loops that draw in blocks go through the schools this many at a time. */
export const DRAW_BLOCK = 1024;

/** The thread's draw buffer (see drawBuffer). */
let drawBuf = new Float64Array(0);

/**
 * A buffer of at least n doubles for block draws (Stream.uniforms, Stream.normals),
 * one per thread and reused: fill it and read it within one function, with no call in
 * between that draws into it too. Callers ask for a few DRAW_BLOCKs, so it stays small
 * (tens of kilobytes) whatever the number of schools.
 */
export function drawBuffer(n: number): Float64Array {
  if (drawBuf.length < n) drawBuf = new Float64Array(Math.max(n, 2 * drawBuf.length));
  return drawBuf;
}

/** Normals drawn per pass in Stream.normals, and its buffer of second uniforms. */
const NORMAL_PASS = 256;
const normalScratch = new Float64Array(NORMAL_PASS);

/** A keyed stream of uniforms indexed by three integers. */
export class Stream {
  readonly k0: number;
  readonly k1: number;
  /** Optional observer of every uniform drawn (tests use it to show draws are shared); null in runs. */
  tap: ((a: number, b: number, c: number, u: number) => void) | null = null;

  constructor(keyText: string) {
    const h = hashKey(keyText);
    this.k0 = parseInt(h.slice(0, 8), 16) | 0;
    this.k1 = parseInt(h.slice(8, 16), 16) | 0;
  }

  /** 32-bit hash of (a, b, c) under this stream's key. */
  bits(a: number, b: number, c: number): number {
    return hash(this.k0, this.k1, a, b, c) >>> 0;
  }

  /** Uniform on (0, 1), never 0 or 1. */
  u(a: number, b: number, c: number): number {
    const u = ((hash(this.k0, this.k1, a, b, c) >>> 0) + 0.5) / TWO32;
    if (this.tap !== null) this.tap(a, b, c, u);
    return u;
  }

  /**
   * out[at + j] = u(from + j, b, c) for every j < count: the same numbers as count calls,
   * drawn in one loop that writes unboxed doubles (a call per draw that is not inlined
   * returns each double in a fresh heap box, which the hot loops paid for in garbage
   * collection).
   */
  uniforms(out: Float64Array, at: number, from: number, count: number, b: number, c: number): void {
    if (this.tap !== null) {
      for (let j = 0; j < count; j++) out[at + j] = this.u(from + j, b, c);
      return;
    }
    const k0 = this.k0;
    const kb = this.k1 ^ Math.imul(b | 0, 0x85ebca77);
    const kc = Math.imul(c | 0, 0x27d4eb2f) ^ 0x165667b1;
    for (let j = 0; j < count; j++) out[at + j] = ((hashFrom(k0, kb, kc, from + j) >>> 0) + 0.5) / TWO32;
  }

  /** out[at + j] = normal(from + j, b, c) for every j < count: the same numbers as count calls (see uniforms). */
  normals(out: Float64Array, at: number, from: number, count: number, b: number, c: number): void {
    if (this.tap !== null) {
      for (let j = 0; j < count; j++) out[at + j] = this.normal(from + j, b, c);
      return;
    }
    // In passes of at most NORMAL_PASS: both blocks of uniforms by a call to uniforms() each, then
    // the radius, then the angle. V8 inlines the callees of a loop by how often they are called,
    // within a budget of bytecode: the per-draw log and cos2pi come first and fit, the per-pass
    // uniforms() calls do not and keep their own budget for the hash. With the hash inlined per
    // draw beside them, which of the three was left out of line changed from run to run, and a
    // call left out of line returned every double boxed (70 to 150 MB of garbage a replication).
    const u2 = normalScratch;
    for (let done = 0; done < count; done += NORMAL_PASS) {
      const m = Math.min(NORMAL_PASS, count - done);
      const o = at + done;
      this.uniforms(out, o, from + done, m, b, c);
      this.uniforms(u2, 0, from + done, m, b, c + 1);
      for (let j = 0; j < m; j++) out[o + j] = Math.sqrt(-2 * fmath.log(out[o + j]));
      for (let j = 0; j < m; j++) out[o + j] *= fmath.cos2pi(u2[j]);
    }
  }

  /** Standard normal from the two uniforms (a, b, c) and (a, b, c + 1) (Box-Muller, cosine branch). */
  normal(a: number, b: number, c: number): number {
    // The uniforms as u() makes them, hashed here so no call returns a boxed double.
    const u1 = ((hash(this.k0, this.k1, a, b, c) >>> 0) + 0.5) / TWO32;
    const u2 = ((hash(this.k0, this.k1, a, b, c + 1) >>> 0) + 0.5) / TWO32;
    if (this.tap !== null) {
      this.tap(a, b, c, u1);
      this.tap(a, b, c + 1, u2);
    }
    return Math.sqrt(-2 * fmath.log(u1)) * fmath.cos2pi(u2);
  }

  /** Exponential with the given rate, by inversion of one uniform. */
  exponential(rate: number, a: number, b: number, c: number): number {
    return -fmath.log(this.u(a, b, c)) / rate;
  }

  /** Integer in [0, n). */
  int(n: number, a: number, b: number, c: number): number {
    return Math.floor(this.u(a, b, c) * n);
  }

  /** Poisson count by inversion of one uniform (see poissonInverse). */
  poisson(mean: number, a: number, b: number, c: number): number {
    return poissonInverse(mean, this.u(a, b, c));
  }
}

/**
 * The Poisson(mean) quantile of u: the smallest k with F(k) >= u. Sequential search
 * from 0 for small means; for large means the search starts at the mode and walks
 * either way, so it costs O(sqrt(mean)) steps and never underflows. One uniform, so
 * a count is monotone in u and in the mean.
 */
export function poissonInverse(mean: number, u: number): number {
  if (!(mean > 0)) return 0;
  if (mean < 30) {
    let p = fmath.exp(-mean);
    let f = p;
    let k = 0;
    while (u > f && k < 1000) {
      k++;
      p *= mean / k;
      f += p;
    }
    return k;
  }
  // The large-mean search is long, so it is not inlined into the callers; its two doubles
  // go through a typed array, which a call would otherwise box (fresh heap numbers).
  POISSON_ARGS[0] = mean;
  POISSON_ARGS[1] = u;
  return poissonFromMode();
}

/** buf[at + j] = poissonInverse(buf[at + j], buf[uAt + j]) for j < count: means in, counts out, uniforms beside them. */
export function poissonInverses(buf: Float64Array, at: number, uAt: number, count: number): void {
  for (let j = 0; j < count; j++) buf[at + j] = poissonInverse(buf[at + j], buf[uAt + j]);
}

/** mean and u of a large-mean Poisson inversion (poissonInverse -> poissonFromMode). */
const POISSON_ARGS = new Float64Array(2);

/** poissonInverse for mean >= 30, reading mean and u from POISSON_ARGS. */
function poissonFromMode(): number {
  const mean = POISSON_ARGS[0];
  const u = POISSON_ARGS[1];
  // Start at the mode m = floor(mean) with pmf from the log-gamma (Stirling series, ample here).
  const m = Math.floor(mean);
  const pm = fmath.exp(m * fmath.log(mean) - mean - logFactorial(m));
  // CDF at the mode by summing the pmf downwards until negligible.
  let cdf = 0;
  let p = pm;
  for (let k = m; k >= 0 && p > 1e-17 * pm; k--) {
    cdf += p;
    p *= k / mean;
  }
  if (u <= cdf) {
    // Walk down: F(k-1) = F(k) - p(k).
    let k = m;
    let pk = pm;
    let f = cdf;
    while (k > 0) {
      const below = f - pk;
      if (u > below) return k;
      f = below;
      pk *= k / mean;
      k--;
    }
    return 0;
  }
  let k = m;
  let pk = pm;
  let f = cdf;
  while (u > f && k < m + 100000) {
    k++;
    pk *= mean / k;
    f += pk;
    if (pk < 1e-300) break;
  }
  return k;
}

/** log(n!) exactly for small n, Stirling's series otherwise (relative error below 1e-12 for n >= 30). */
export function logFactorial(n: number): number {
  if (n < 2) return 0;
  if (n < 30) {
    let s = 0;
    for (let k = 2; k <= n; k++) s += fmath.log(k);
    return s;
  }
  const x = n + 1;
  return (x - 0.5) * fmath.log(x) - x + 0.5 * fmath.log(TWO_PI) + 1 / (12 * x) - 1 / (360 * x * x * x) + 1 / (1260 * (x * x * (x * x) * x));
}

/**
 * A partnership's identity for its own draws: a hash of its coordinator, the step it
 * was made and how (by schools, mandate or statute). The same partnership made in two
 * scenarios gets the same draws; ids never depend on how many partnerships exist.
 */
export function partnershipUid(coordinator: number, step: number, madeBy: number): number {
  let h = fmix(Math.imul(coordinator | 0, 0x9e3779b1) ^ 0x3c6ef372);
  h = fmix(h ^ Math.imul(step | 0, 0x85ebca77));
  return fmix(h ^ Math.imul(madeBy + 1, 0x27d4eb2f)) | 0;
}
