/**
 * Compaction: once a year, renumber live partnerships LA by LA and their memberships
 * in partnership order, so the per-step passes over partnerships and members read
 * memory nearly in sequence. Without it, slots and membership ids are reused in the
 * order things ended, which scatters a large world's accesses across memory and
 * makes each step slower per school as the world grows. O(partnerships + memberships
 * + schools). Its temporary arrays are views of the thread's scratch buffer
 * (scratch.ts, shared with the trust table's repack), kept from year to year, so a
 * year leaves no garbage behind. Memberships move to their new ids in place, cycle by
 * cycle, so the scratch holds only the old -> new maps and one copy of a per-slot
 * array: about 22 bytes a school in a default run.
 */
import type { State } from './state.js';
import { scratchBuffer } from './scratch.js';

/** Hands out 8-byte-aligned views of the scratch buffer. */
class Arena {
  private at = 0;
  constructor(private readonly buf: ArrayBuffer) {}
  private take(bytes: number): number {
    const o = this.at;
    this.at += (bytes + 7) & ~7;
    return o;
  }
  i32(n: number): Int32Array {
    return new Int32Array(this.buf, this.take(n * 4), n);
  }
  f32(n: number): Float32Array {
    return new Float32Array(this.buf, this.take(n * 4), n);
  }
  /** A region of `bytes` bytes, for the per-type permutation copies. */
  region(bytes: number): number {
    return this.take(bytes);
  }
}

/** Scratch bytes one compaction needs: old -> new maps of slots and memberships, the new slot order, one copy of a per-slot array. */
function scratchBytes(high: number, count: number, mHigh: number, widest: number): number {
  const r = (n: number): number => (n * 4 + 7) & ~7;
  return r(high) + r(count) + r(mHigh) + ((high * widest + 7) & ~7);
}

/** Renumber partnerships and memberships; returns old slot -> new slot (-1 if dead), a view of the scratch buffer valid until the next compaction or trust repack. */
export function compact(s: State): Int32Array {
  const P = s.parts;
  const ms = s.members;
  const high = P.high;
  // Membership ids from ms.high on were never handed out: only 0..ms.high-1 are permuted.
  const mHigh = ms.high;
  const slotArrays = P.slotArrays();
  let widest = 1;
  for (const a of slotArrays) widest = Math.max(widest, a.BYTES_PER_ELEMENT);
  const need = scratchBytes(high, P.count, mHigh, widest);
  const scratch = scratchBuffer(need);
  const A = new Arena(scratch);
  const newOf = A.i32(high).fill(-1);
  const order = A.i32(P.count);
  let k = 0;
  for (let la = 0; la < P.laHead.length; la++) {
    for (let p = P.laHead[la]; p !== -1; p = P.laNext[p]) {
      newOf[p] = k;
      order[k++] = p;
    }
  }
  // Memberships in the new partnership order, each partnership's list kept in its order.
  const mNew = A.i32(mHigh).fill(-1);
  let j = 0;
  for (let q = 0; q < k; q++) for (let m = P.head[order[q]]; m !== -1; m = ms.next[m]) mNew[m] = j++;
  // Every reference to a membership id takes its new id first: list links, partnership heads, schools' slots.
  for (let m = 0; m < mHigh; m++) {
    if (mNew[m] < 0) continue;
    const nx = ms.next[m];
    ms.next[m] = nx === -1 ? -1 : mNew[nx];
  }
  for (let q = 0; q < k; q++) {
    const p = order[q];
    if (P.head[p] !== -1) P.head[p] = mNew[P.head[p]];
  }
  const w = s.slotW;
  for (let i = 0; i < s.n; i++) {
    const base = i * w;
    for (let t = 0; t < s.nSlots[i]; t++) s.slots[base + t] = mNew[s.slots[base + t]];
  }
  // Then the membership fields move to their new ids in place, cycle by cycle (no copy of any field): each
  // entry is picked up once and put down at its new id, picking up what was there; mNew marks picked-up
  // entries -1 (entries of released ids are -1 already and are simply written over).
  const school = ms.school;
  const next = ms.next;
  const joined = ms.joined;
  const benefit = ms.benefit;
  for (let m0 = 0; m0 < mHigh; m0++) {
    let d = mNew[m0];
    if (d < 0) continue;
    mNew[m0] = -1;
    if (d === m0) continue;
    let cs = school[m0];
    let cn = next[m0];
    let cj = joined[m0];
    let cb = benefit[m0];
    for (;;) {
      const dd = mNew[d];
      const ts = school[d];
      const tn = next[d];
      const tj = joined[d];
      const tb = benefit[d];
      school[d] = cs;
      next[d] = cn;
      joined[d] = cj;
      benefit[d] = cb;
      if (dd < 0) break;
      mNew[d] = -1;
      cs = ts;
      cn = tn;
      cj = tj;
      cb = tb;
      d = dd;
    }
  }
  // The per-slot arrays (heads already hold new membership ids), through one copy buffer.
  const copyAt = A.region(high * widest);
  // One loop per element type, each only ever given its own type (a loop over all the
  // arrays together is megamorphic and was the slowest part of a year).
  for (const arr of slotArrays) {
    if (arr instanceof Float32Array) permuteF32(arr, order, k, high, new Float32Array(scratch, copyAt, high));
    else if (arr instanceof Int32Array) permuteI32(arr, order, k, high, new Int32Array(scratch, copyAt, high));
    else if (arr instanceof Uint8Array) permuteU8(arr, order, k, high, new Uint8Array(scratch, copyAt, high));
    else if (arr instanceof Uint16Array) permuteU16(arr, order, k, high, new Uint16Array(scratch, copyAt, high));
    else if (arr instanceof Int16Array) permuteI16(arr, order, k, high, new Int16Array(scratch, copyAt, high));
    else if ((arr as unknown) instanceof Float64Array) permuteF64(arr as unknown as Float64Array, order, k, high, new Float64Array(scratch, copyAt, high));
    else throw new Error('compact: a per-slot array of an unexpected type');
  }
  // Membership -> partnership, from the new heads' lists.
  for (let q = 0; q < k; q++) for (let m = P.head[q]; m !== -1; m = next[m]) ms.part[m] = q;
  for (let q = k; q < high; q++) P.alive[q] = 0;
  P.renumbered(k);
  ms.renumbered();
  // The log drops the rows of partnerships that began and ended in the spin-up (up to autumn 2007; none end before it later).
  if (s.step <= 0) s.history.prune(0, P.hist, k, P.alive);
  return newOf;
}

// arr[q] <- arr[order[q]] for q < k (order is increasing in no particular way, so copy first, into `copy`).
function permuteF32(arr: Float32Array, order: Int32Array, k: number, high: number, copy: Float32Array): void {
  copy.set(arr.subarray(0, high));
  for (let q = 0; q < k; q++) arr[q] = copy[order[q]];
}
function permuteF64(arr: Float64Array, order: Int32Array, k: number, high: number, copy: Float64Array): void {
  copy.set(arr.subarray(0, high));
  for (let q = 0; q < k; q++) arr[q] = copy[order[q]];
}
function permuteI32(arr: Int32Array, order: Int32Array, k: number, high: number, copy: Int32Array): void {
  copy.set(arr.subarray(0, high));
  for (let q = 0; q < k; q++) arr[q] = copy[order[q]];
}
function permuteU8(arr: Uint8Array, order: Int32Array, k: number, high: number, copy: Uint8Array): void {
  copy.set(arr.subarray(0, high));
  for (let q = 0; q < k; q++) arr[q] = copy[order[q]];
}
function permuteU16(arr: Uint16Array, order: Int32Array, k: number, high: number, copy: Uint16Array): void {
  copy.set(arr.subarray(0, high));
  for (let q = 0; q < k; q++) arr[q] = copy[order[q]];
}
function permuteI16(arr: Int16Array, order: Int32Array, k: number, high: number, copy: Int16Array): void {
  copy.set(arr.subarray(0, high));
  for (let q = 0; q < k; q++) arr[q] = copy[order[q]];
}
