/**
 * Compaction: once a year, renumber live partnerships LA by LA and their memberships
 * in partnership order, so the per-step passes over partnerships and members read
 * memory nearly in sequence. Without it, slots and membership ids are reused in the
 * order things ended, which scatters a large world's accesses across memory and
 * makes each step slower per school as the world grows. O(partnerships + memberships
 * + schools); allocates temporary copies once a year, never in a step.
 */
import { MAX_SLOTS, type State } from './state.js';

/** Renumber partnerships and memberships; returns old slot -> new slot (-1 if dead). */
export function compact(s: State): Int32Array {
  const P = s.parts;
  const ms = s.members;
  const high = P.high;
  const newOf = new Int32Array(high).fill(-1);
  const order = new Int32Array(P.count);
  let k = 0;
  for (let la = 0; la < P.laHead.length; la++) {
    for (let p = P.laHead[la]; p !== -1; p = P.laNext[p]) {
      newOf[p] = k;
      order[k++] = p;
    }
  }
  // Memberships in the new partnership order, each partnership's list kept in its order.
  const mNew = new Int32Array(ms.cap).fill(-1);
  const mOrder = new Int32Array(ms.count);
  let j = 0;
  for (let q = 0; q < k; q++) {
    for (let m = P.head[order[q]]; m !== -1; m = ms.next[m]) {
      mNew[m] = j;
      mOrder[j++] = m;
    }
  }
  // Permute membership fields.
  const school = ms.school.slice(0, ms.cap);
  const next = ms.next.slice(0, ms.cap);
  const joined = ms.joined.slice(0, ms.cap);
  const benefit = ms.benefit.slice(0, ms.cap);
  for (let x = 0; x < j; x++) {
    const o = mOrder[x];
    ms.school[x] = school[o];
    ms.next[x] = next[o] === -1 ? -1 : mNew[next[o]];
    ms.joined[x] = joined[o];
    ms.benefit[x] = benefit[o];
  }
  // Heads, then membership -> partnership (set from the new heads' lists).
  const oldHead = P.head.slice(0, high);
  // One loop per element type, each only ever given its own type (a loop over all the
  // arrays together is megamorphic and was the slowest part of a year).
  for (const arr of P.slotArrays()) {
    if (arr instanceof Float32Array) permuteF32(arr, order, k, high);
    else if (arr instanceof Int32Array) permuteI32(arr, order, k, high);
    else if (arr instanceof Uint8Array) permuteU8(arr, order, k, high);
    else if (arr instanceof Uint16Array) permuteU16(arr, order, k, high);
    else if ((arr as unknown) instanceof Float64Array) permuteF64(arr as unknown as Float64Array, order, k, high);
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
    const base = i * MAX_SLOTS;
    for (let t = 0; t < s.nSlots[i]; t++) s.slots[base + t] = mNew[s.slots[base + t]];
  }
  return newOf;
}

// arr[q] <- arr[order[q]] for q < k (order is increasing in no particular way, so copy first).
function permuteF32(arr: Float32Array, order: Int32Array, k: number, high: number): void {
  const copy = arr.slice(0, high);
  for (let q = 0; q < k; q++) arr[q] = copy[order[q]];
}
function permuteF64(arr: Float64Array, order: Int32Array, k: number, high: number): void {
  const copy = arr.slice(0, high);
  for (let q = 0; q < k; q++) arr[q] = copy[order[q]];
}
function permuteI32(arr: Int32Array, order: Int32Array, k: number, high: number): void {
  const copy = arr.slice(0, high);
  for (let q = 0; q < k; q++) arr[q] = copy[order[q]];
}
function permuteU8(arr: Uint8Array, order: Int32Array, k: number, high: number): void {
  const copy = arr.slice(0, high);
  for (let q = 0; q < k; q++) arr[q] = copy[order[q]];
}
function permuteU16(arr: Uint16Array, order: Int32Array, k: number, high: number): void {
  const copy = arr.slice(0, high);
  for (let q = 0; q < k; q++) arr[q] = copy[order[q]];
}
