/**
 * Pairwise trust between schools, stored sparsely: only pairs that have interacted
 * have an entry (open addressing, linear probing, typed arrays). Unused trust drifts
 * back towards its initial level lazily, when next read, so no step visits idle pairs.
 * Lookup and update are O(1); growth doubles the table (rare, amortised).
 *
 * The pair (a, b), a < b, is stored in school a's neighbourhood of the table (a's
 * region of `slotsPerSchool` slots, offset by a hash of b). Schools in one LA have
 * neighbouring indices and partners are mostly local, so the pairs a partnership
 * touches sit close together in memory: this keeps the cost per lookup flat as the
 * world grows, where a uniform hash would miss the cache on almost every lookup.
 */

const EMPTY = -1;

/** Entry layout: 4 x 32-bit words per slot in one buffer, so a probe touches one cache line. */
const STRIDE = 4;

export class TrustTable {
  private keys: Int32Array;
  private vals: Float32Array;
  private mask: number;
  private shift: number;
  private readonly logKeep: number;
  /** Entries in use. */
  size = 0;

  constructor(
    schools: number,
    /** Trust of strangers, and the level idle trust drifts back to. */
    private readonly initial: number,
    /** Drift per step towards `initial` for idle pairs (fraction of the gap). */
    decayPerStep: number,
  ) {
    let pow = 1;
    while (pow < schools) pow *= 2;
    this.shift = 3; // 8 slots per school to start; doubles with the table
    const cap = pow << this.shift;
    const buf = new ArrayBuffer(cap * STRIDE * 4);
    this.keys = new Int32Array(buf);
    this.vals = new Float32Array(buf);
    for (let i = 0; i < cap; i++) this.keys[i * STRIDE] = EMPTY;
    this.mask = cap - 1;
    this.logKeep = Math.log(1 - Math.min(0.999999, decayPerStep));
  }

  /** Allocated slots (for memory reporting). */
  get capacity(): number {
    return this.mask + 1;
  }

  /** Word offset of the slot holding (a, b), or of the empty slot where it would go. */
  private slot(a: number, b: number): number {
    let h = Math.imul(b + 0x7f4a7c15, 0x85ebca77) >>> 0;
    h ^= h >>> 15;
    let i = ((a << this.shift) + (h & ((1 << this.shift) - 1))) & this.mask;
    const keys = this.keys;
    for (;;) {
      const o = i * STRIDE;
      const k = keys[o];
      if (k === EMPTY || (k === a && keys[o + 1] === b)) return o;
      i = (i + 1) & this.mask;
    }
  }

  /** Trust between a and b as of `step` (the initial level for strangers). */
  get(a: number, b: number, step: number): number {
    const o = a < b ? this.slot(a, b) : this.slot(b, a);
    if (this.keys[o] === EMPTY) return this.initial;
    return this.decayed(o, step);
  }

  private decayed(o: number, step: number): number {
    const idle = step - this.vals[o + 3];
    const v = this.vals[o + 2];
    if (idle <= 0) return v;
    return this.initial + (v - this.initial) * Math.exp(idle * this.logKeep);
  }

  /** Set trust between a and b at `step`. */
  set(a: number, b: number, step: number, t: number): void {
    if (a > b) {
      const x = a;
      a = b;
      b = x;
    }
    this.write(this.slot(a, b), a, b, step, t);
  }

  private write(o: number, a: number, b: number, step: number, t: number): void {
    if (this.keys[o] === EMPTY) {
      if ((this.size + 1) * 2 > this.capacity) {
        this.grow();
        o = this.slot(a, b);
      }
      this.keys[o] = a;
      this.keys[o + 1] = b;
      this.size++;
    }
    this.vals[o + 2] = t;
    this.vals[o + 3] = step;
  }

  /** Trust after a good interaction: t <- t + alpha (1 - t) (Klos & Nooteboom 2001). */
  reward(a: number, b: number, step: number, alpha: number): number {
    if (a > b) {
      const x = a;
      a = b;
      b = x;
    }
    const o = this.slot(a, b);
    const t = this.keys[o] === EMPTY ? this.initial : this.decayed(o, step);
    const next = t + alpha * (1 - t);
    this.write(o, a, b, step, next);
    return next;
  }

  /** Trust after a breach: t <- beta t. */
  breach(a: number, b: number, step: number, beta: number): number {
    if (a > b) {
      const x = a;
      a = b;
      b = x;
    }
    const o = this.slot(a, b);
    const t = this.keys[o] === EMPTY ? this.initial : this.decayed(o, step);
    const next = beta * t;
    this.write(o, a, b, step, next);
    return next;
  }

  /** Has this pair ever interacted? */
  has(a: number, b: number): boolean {
    return this.keys[a < b ? this.slot(a, b) : this.slot(b, a)] !== EMPTY;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = this.capacity * 2;
    this.shift++;
    const buf = new ArrayBuffer(cap * STRIDE * 4);
    this.keys = new Int32Array(buf);
    this.vals = new Float32Array(buf);
    for (let i = 0; i < cap; i++) this.keys[i * STRIDE] = EMPTY;
    this.mask = cap - 1;
    for (let o = 0; o < oldKeys.length; o += STRIDE) {
      if (oldKeys[o] === EMPTY) continue;
      const n = this.slot(oldKeys[o], oldKeys[o + 1]);
      this.keys[n] = oldKeys[o];
      this.keys[n + 1] = oldKeys[o + 1];
      this.vals[n + 2] = oldVals[o + 2];
      this.vals[n + 3] = oldVals[o + 3];
    }
  }

  /** Mean trust over stored pairs as of `step` (O(capacity); for reporting, not the step loop). */
  mean(step: number): number {
    let s = 0;
    let k = 0;
    for (let o = 0; o < this.keys.length; o += STRIDE) {
      if (this.keys[o] === EMPTY) continue;
      s += this.decayed(o, step);
      k++;
    }
    return k === 0 ? this.initial : s / k;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.capacity * STRIDE * 4;
  }
}
