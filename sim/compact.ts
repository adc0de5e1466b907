/**
 * Compaction: once a year, renumber live partnerships LA by LA and their memberships
 * in partnership order, so the per-step passes over partnerships and members read
 * memory nearly in sequence. Without it, slots and membership ids are reused in the
 * order things ended, which scatters a large world's accesses across memory and
 * makes each step slower per school as the world grows. O(partnerships + memberships
 * + schools). Its temporary arrays are views of one scratch buffer kept from year to
 * year (grown when a larger year needs it), so a year leaves no garbage behind.
 */
import type { State } from './state.js';

/** Renumber partnerships and memberships; returns old slot -> new slot (-1 if dead), a view of the scratch buffer valid until the next compaction. */
/** The scratch buffer (one per thread: compaction runs to the end before anything else uses it). */
let scratch = new ArrayBuffer(0);

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

/** Scratch bytes one compaction needs. */
function scratchBytes(high: number, count: number, cap: number, mcount: number): number {
  const r = (n: number): number => (n * 4 + 7) & ~7;
  return r(high) * 2 + r(count) + r(cap) * 2 + r(mcount) + high * 8 + 8;
}

export function compact(s: State): Int32Array {
  const P = s.parts;
  const ms = s.members;
  const high = P.high;
  // Membership ids from ms.high on were never handed out: only 0..ms.high-1 are permuted.
  const mHigh = ms.high;
  const need = scratchBytes(high, P.count, mHigh, ms.count);
  if (scratch.byteLength < need) scratch = new ArrayBuffer(Math.ceil(need * 1.25));
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
  const mOrder = A.i32(ms.count);
  let j = 0;
  for (let q = 0; q < k; q++) {
    for (let m = P.head[order[q]]; m !== -1; m = ms.next[m]) {
      mNew[m] = j;
      mOrder[j++] = m;
    }
  }
  // Permute membership fields, one at a time through one copy buffer (so the scratch holds one field, not four).
  const at = A.region(mHigh * 4);
  const ci = new Int32Array(scratch, at, mHigh);
  ci.set(ms.school.subarray(0, mHigh));
  for (let x = 0; x < j; x++) ms.school[x] = ci[mOrder[x]];
  ci.set(ms.next.subarray(0, mHigh));
  for (let x = 0; x < j; x++) {
    const nx = ci[mOrder[x]];
    ms.next[x] = nx === -1 ? -1 : mNew[nx];
  }
  ci.set(ms.joined.subarray(0, mHigh));
  for (let x = 0; x < j; x++) ms.joined[x] = ci[mOrder[x]];
  const cf = new Float32Array(scratch, at, mHigh);
  cf.set(ms.benefit.subarray(0, mHigh));
  for (let x = 0; x < j; x++) ms.benefit[x] = cf[mOrder[x]];
  // Heads, then membership -> partnership (set from the new heads' lists).
  const oldHead = A.i32(high);
  oldHead.set(P.head.subarray(0, high));
  const copyAt = A.region(high * 8);
  // One loop per element type, each only ever given its own type (a loop over all the
  // arrays together is megamorphic and was the slowest part of a year).
  for (const arr of P.slotArrays()) {
    if (arr instanceof Float32Array) permuteF32(arr, order, k, high, new Float32Array(scratch, copyAt, high));
    else if (arr instanceof Int32Array) permuteI32(arr, order, k, high, new Int32Array(scratch, copyAt, high));
    else if (arr instanceof Uint8Array) permuteU8(arr, order, k, high, new Uint8Array(scratch, copyAt, high));
    else if (arr instanceof Uint16Array) permuteU16(arr, order, k, high, new Uint16Array(scratch, copyAt, high));
    else if ((arr as unknown) instanceof Float64Array) permuteF64(arr as unknown as Float64Array, order, k, high, new Float64Array(scratch, copyAt, high));
    else throw new Error('compact: a per-slot array of an unexpected type');
  }
  for (let q = 0; q < k; q++) {
    const h = oldHead[order[q]];
    P.head[q] = h === -1 ? -1 : mNew[h];
    for (let m = P.head[q]; m !== -1; m = ms.next[m]) ms.part[m] = q;
  }
  for (let q = k; q < high; q++) P.alive[q] = 0;
  P.renumbered(k);
  ms.renumbered();
  // Schools' slots hold membership ids.
  for (let i = 0; i < s.n; i++) {
    const base = i * s.slotW;
    for (let t = 0; t < s.nSlots[i]; t++) s.slots[base + t] = mNew[s.slots[base + t]];
  }
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
