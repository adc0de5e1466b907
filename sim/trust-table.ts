/**
 * Pairwise trust between schools, stored sparsely: only pairs that have interacted
 * have an entry. Unused trust drifts back towards its initial level lazily, when next
 * read, so no step visits idle pairs.
 *
 * Layout: each pair is kept in a short list owned by one of its two schools (the lower
 * index when the indices' sum is even, the higher when odd, so every school owns about
 * half of its pairs wherever it sits in its LA). A school's list is one contiguous
 * block of a shared pool (partner, trust, step of last update: three typed arrays), so
 * a lookup scans a handful of neighbouring integers: one or two cache lines, however
 * large the world. The partner is stored as its index minus the owner's, a 16-bit
 * integer: partners are local (schools are numbered LA by LA, and partners come from
 * the same or a neighbouring LA), so the difference fits even in a world of millions
 * of schools. The first pair whose difference does not fit (possible in a world of
 * more than 32,768 schools numbered in no local order) widens the column to 32 bits
 * once, for good; either way an entry holds the same pair. A full block moves to the
 * end of the pool at 1.25 times its size; when the used part of the pool (its `limit`)
 * fills, live blocks slide down in place over the holes (a radix sort puts them in pool
 * order, O(schools)), or the limit grows to 1.15 times what they need (amortised O(1)).
 * In a default run the limit ends about 1.2 times the entries in use (it was 1.33 with
 * blocks growing by half and the limit by a fifth), at 8 bytes an entry. Trust is
 * stored as a 32-bit float, the step of the last update as a 16-bit integer (steps run
 * from minus the spin-up to the horizon, at most 100 years of 52 steps either way, so
 * every step fits exactly; a step that does not is refused).
 *
 * Memory: the pool's arrays are allocated once at RESERVE entries a school, far more
 * than the limit; pages never written cost no memory (the operating system commits
 * them on first write), and everything is written from the start of the pool up to
 * the limit, so resident memory follows the limit. Growing therefore never copies the
 * pool or leaves the old one behind as garbage (which, before, made the peak about
 * half as much again as the table). Only a run that outgrows the reserve copies.
 *
 * The drift of idle pairs, initial + (t - initial) keep^idle, takes keep^idle from a
 * table filled with the very expression it replaces, exp(idle log keep), so the values
 * are the same to the bit.
 */
import * as fmath from './fmath.js';
import { scratchBuffer } from './scratch.js';
import { bucketStarts, highPass, RADIX } from './rank.js';

/** Entries of a school's first block. */
const FIRST_BLOCK = 4;
/** A full block moves at this many times its size (a quarter more: little slack, a few more moves). */
const BLOCK_GROWTH = 1.25;
/** Repacks: slide the blocks down when they need at most SLIDE_AT of the limit, else raise the limit to GROW_TO times what they need. */
const SLIDE_AT = 1.08;
const GROW_TO = 1.15;
/** Idle spans (steps) whose drift factor is tabulated. */
const KEEP_TABLE = 1024;
/** Pool entries reserved a school (address space; see the header): a long run holds about 25 pairs a school. */
const RESERVE = 64;
/** Buckets a pass of the radix sort of block offsets (slideDown). */
/** Block sizes tabulated for lengths below this (longer lists, rare, compute theirs). */
const BLOCK_TABLE = 4096;
const blockOf = new Int32Array(BLOCK_TABLE);
for (let len = 1, c = FIRST_BLOCK; len < BLOCK_TABLE; len++) {
  while (c < len) c = Math.max(FIRST_BLOCK, Math.ceil(c * BLOCK_GROWTH));
  blockOf[len] = c;
}

/**
 * Block size of a school with `len` pairs: 0 without any, else the first size of the growth
 * sequence 4, 5, 7, 9, 12, 15, ... (each BLOCK_GROWTH times the last, rounded up) that holds
 * them. A block grows only when full and entries are never removed, so its size is this
 * function of its length and is not stored (4 bytes a school).
 */
export function blockSize(len: number): number {
  if (len < BLOCK_TABLE) return blockOf[len];
  let c = blockOf[BLOCK_TABLE - 1];
  while (c < len) c = Math.ceil(c * BLOCK_GROWTH);
  return c;
}

export class TrustTable {
  /** Per school: start of its block in the pool and entries in use (its block's size is blockSize(len)). */
  private off: Int32Array;
  private len: Int32Array;
  /** The pool: partner school minus owner (16-bit until a difference does not fit, then 32-bit), trust, step of the last update. */
  private other: Int16Array | Int32Array;
  private val: Float32Array;
  private at: Int16Array;
  /** First unused pool entry. */
  private top = 0;
  /** Entries of the pool in use: blocks live below it (it grows to GROW_TO times what the live blocks need when they fill it). */
  private limit: number;
  private readonly logKeep: number;
  /** keep^k = exp(k log keep) for k = 0 .. KEEP_TABLE - 1. */
  private readonly keepPow: Float64Array;
  /** Entries in use. */
  size = 0;

  constructor(
    schools: number,
    /** Trust of strangers, and the level idle trust drifts back to. */
    private readonly initial: number,
    /** Drift per step towards `initial` for idle pairs (fraction of the gap). */
    decayPerStep: number,
  ) {
    const n = Math.max(1, schools);
    this.off = new Int32Array(n);
    this.len = new Int32Array(n);
    this.limit = n * FIRST_BLOCK;
    const pool = n * Math.max(FIRST_BLOCK, RESERVE);
    this.other = new Int16Array(pool);
    this.val = new Float32Array(pool);
    this.at = new Int16Array(pool);
    this.logKeep = fmath.log(1 - Math.min(0.999999, decayPerStep));
    this.keepPow = new Float64Array(KEEP_TABLE);
    for (let k = 0; k < KEEP_TABLE; k++) this.keepPow[k] = fmath.exp(k * this.logKeep);
  }

  /** Pool entries in use (live blocks and the holes between them; for memory reporting). */
  get capacity(): number {
    return this.limit;
  }

  /** Pool index of the pair (owner, x), or -1. */
  private find(owner: number, x: number): number {
    if (owner >= this.len.length) return -1;
    const o = this.off[owner];
    const end = o + this.len[owner];
    const other = this.other;
    const d = x - owner;
    for (let e = o; e < end; e++) if (other[e] === d) return e;
    return -1;
  }

  /** Pool index of (a, b) in either order, or -1. */
  private entry(a: number, b: number): number {
    return ((a + b) & 1) === 0 ? (a < b ? this.find(a, b) : this.find(b, a)) : a < b ? this.find(b, a) : this.find(a, b);
  }

  /**
   * The trust found or set by the last get, reward, breach, lookup or update. lookup and
   * update return nothing and leave it here, for the per-step loop: a call V8 leaves out
   * of line returns a double in a fresh heap box, which interactions paid for in garbage
   * (about 10 MB a replication at 3,300 schools). get, reward and breach return it.
   */
  readonly result = new Float64Array(1);

  /** Trust between a and b as of `step` (the initial level for strangers). */
  get(a: number, b: number, step: number): number {
    this.lookup(a, b, step);
    return this.result[0];
  }

  /** get, leaving the trust in `result`. */
  lookup(a: number, b: number, step: number): void {
    const e = this.entry(a, b);
    this.result[0] = e < 0 ? this.initial : this.decayed(e, step);
  }

  private decayed(e: number, step: number): number {
    const idle = step - this.at[e];
    const v = this.val[e];
    if (idle <= 0) return v;
    const f = idle < KEEP_TABLE && (idle | 0) === idle ? this.keepPow[idle] : fmath.exp(idle * this.logKeep);
    return this.initial + (v - this.initial) * f;
  }

  /** Set trust between a and b at `step`. */
  set(a: number, b: number, step: number, t: number): void {
    const e = this.entry(a, b);
    this.write(e < 0 ? this.insert(a, b) : e, step, t);
  }

  private write(e: number, step: number, t: number): void {
    if ((step << 16) >> 16 !== step) throw new RangeError(`trust table: step ${step} is not a whole number within +/-32,767 (a run has at most 100 years of 52 steps)`);
    this.val[e] = t;
    this.at[e] = step;
  }

  /** A new entry for (a, b) in its owner's block; returns its pool index. */
  private insert(a: number, b: number): number {
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    const owner = ((lo + hi) & 1) === 0 ? lo : hi;
    const x = owner === lo ? hi : lo;
    if (owner >= this.len.length) this.growSchools(owner + 1);
    const len = this.len[owner];
    if (len === blockSize(len)) this.enlarge(owner);
    const d = x - owner;
    if ((d << 16) >> 16 !== d && this.other instanceof Int16Array) this.widen();
    const e = this.off[owner] + this.len[owner]++;
    this.other[e] = d;
    this.size++;
    return e;
  }

  /** Move a full block (its size is its length) to the end of the pool at BLOCK_GROWTH times its size. */
  private enlarge(owner: number): void {
    const cap = Math.max(FIRST_BLOCK, Math.ceil(this.len[owner] * BLOCK_GROWTH));
    if (this.top + cap > this.limit) this.repack(cap);
    const from = this.off[owner];
    const n = this.len[owner];
    const to = this.top;
    this.other.copyWithin(to, from, from + n);
    this.val.copyWithin(to, from, from + n);
    this.at.copyWithin(to, from, from + n);
    this.off[owner] = to;
    this.top += cap;
  }

  /**
   * Make room for `extra` more entries. When the live blocks leave enough free space
   * under the limit, they slide down in place (in pool order); otherwise the limit grows
   * to GROW_TO times what the live blocks need (repacks stay rare, slack small), and
   * the blocks slide down too, so the pool's used part stays compact. Only when the new
   * limit passes the reserve are the blocks copied, in school order, into a larger pool.
   */
  private repack(extra: number): void {
    let live = 0;
    for (let i = 0; i < this.len.length; i++) live += blockSize(this.len[i]);
    if (Math.ceil(SLIDE_AT * (live + extra)) <= this.limit) {
      this.slideDown();
      return;
    }
    this.limit = Math.ceil(GROW_TO * (live + extra));
    if (this.limit <= this.other.length) {
      this.slideDown();
      return;
    }
    const size = Math.max(this.limit, Math.ceil(this.other.length * 1.5));
    const other = this.other instanceof Int16Array ? new Int16Array(size) : new Int32Array(size);
    const val = new Float32Array(size);
    const at = new Int16Array(size);
    let top = 0;
    for (let i = 0; i < this.len.length; i++) {
      const from = this.off[i];
      const n = this.len[i];
      // Element by element (blocks are short): no subarray views to collect afterwards.
      for (let e = 0; e < n; e++) {
        other[top + e] = this.other[from + e];
        val[top + e] = this.val[from + e];
        at[top + e] = this.at[from + e];
      }
      this.off[i] = top;
      top += blockSize(n);
    }
    this.other = other;
    this.val = val;
    this.at = at;
    this.top = top;
  }

  /**
   * Owners of live blocks in pool order (by offset), by a two-pass radix sort of the offsets
   * (16 bits a pass; offsets are distinct, so the order is the one any sort gives): O(schools),
   * where a comparison sort was most of a repack's time. A view of the thread's scratch
   * buffer (scratch.ts; shared with compaction), valid until its next use.
   */
  private ownersByOffset(): Int32Array {
    const m = this.len.length;
    const len = this.len;
    const off = this.off;
    let k = 0;
    for (let i = 0; i < m; i++) if (len[i] > 0) k++;
    const buf = scratchBuffer(8 * k + 4 * RADIX);
    const order = new Int32Array(buf, 0, k);
    const tmp = new Int32Array(buf, 4 * k, k);
    const count = new Int32Array(buf, 8 * k, RADIX);
    // Low 16 bits: owners in index order into tmp; then the high bits, stably, into order (rank.ts).
    count.fill(0);
    for (let i = 0; i < m; i++) if (len[i] > 0) count[off[i] & 0xffff]++;
    bucketStarts(count);
    for (let i = 0; i < m; i++) if (len[i] > 0) tmp[count[off[i] & 0xffff]++] = i;
    highPass(off, tmp, k, order, count);
    return order;
  }

  /** Close the gaps between live blocks, moving each towards the start of the pool in pool order. */
  private slideDown(): void {
    const order = this.ownersByOffset();
    const off = this.off;
    const other = this.other;
    const val = this.val;
    const at = this.at;
    let top = 0;
    for (let q = 0; q < order.length; q++) {
      const i = order[q];
      const from = off[i];
      const n = this.len[i];
      if (from !== top) {
        // Short blocks element by element (cheaper than three builtin calls); blocks only move down, so a forward copy is safe.
        if (n <= 32) {
          for (let e = 0; e < n; e++) {
            other[top + e] = other[from + e];
            val[top + e] = val[from + e];
            at[top + e] = at[from + e];
          }
        } else {
          other.copyWithin(top, from, from + n);
          val.copyWithin(top, from, from + n);
          at.copyWithin(top, from, from + n);
        }
        off[i] = top;
      }
      top += blockSize(n);
    }
    this.top = top;
  }

  /** Store partners as 32-bit differences from now on (the pool's used part copied; the rest stays unwritten). */
  private widen(): void {
    const wide = new Int32Array(this.other.length);
    wide.set(this.other.subarray(0, this.limit));
    this.other = wide;
  }

  /** Bytes a partner takes in the pool: 2 until a difference needs 4 (widen). */
  get partnerBytes(): number {
    return this.other.BYTES_PER_ELEMENT;
  }

  /** Room for school indices up to n - 1 (tests use indices beyond the world's size). */
  private growSchools(n: number): void {
    const size = Math.max(n, this.len.length * 2);
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.off = grow(this.off);
    this.len = grow(this.len);
  }

  /** Trust after a good interaction: t <- t + alpha (1 - t) (Klos & Nooteboom 2001). */
  reward(a: number, b: number, step: number, alpha: number): number {
    this.update(a, b, step, alpha, 1);
    return this.result[0];
  }

  /** Trust after a breach: t <- beta t. */
  breach(a: number, b: number, step: number, beta: number): number {
    this.update(a, b, step, beta, 0);
    return this.result[0];
  }

  /** reward (good = 1: t + x (1 - t)) or breach (good = 0: x t) of the pair (a, b), leaving the new trust in `result`. */
  update(a: number, b: number, step: number, x: number, good: number): void {
    let e = this.entry(a, b);
    const t = e < 0 ? this.initial : this.decayed(e, step);
    const next = good === 1 ? t + x * (1 - t) : x * t;
    if (e < 0) e = this.insert(a, b);
    this.write(e, step, next);
    this.result[0] = next;
  }

  /** Has this pair ever interacted? */
  has(a: number, b: number): boolean {
    return this.entry(a, b) >= 0;
  }

  /** Mean trust over stored pairs as of `step` (O(pairs); for reporting, not the step loop). */
  mean(step: number): number {
    let s = 0;
    for (let i = 0; i < this.len.length; i++) {
      const o = this.off[i];
      for (let e = o; e < o + this.len[i]; e++) s += this.decayed(e, step);
    }
    return this.size === 0 ? this.initial : s / this.size;
  }

  /** Elements of a field in use, for snapshots (model.ts): the pool up to its top, every per-school array whole. */
  usedLength(field: string): number {
    return field === 'other' || field === 'val' || field === 'at' ? this.top : -1;
  }

  /** Bytes of the table in use (the pool up to its limit; the rest of the reserve is never written). */
  get bytes(): number {
    return this.limit * (this.other.BYTES_PER_ELEMENT + 6) + this.len.length * 8;
  }
}
