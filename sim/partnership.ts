/**
 * Bookkeeping for partnerships and their members, kept consistent both ways:
 * a school's slots list its memberships, a partnership's linked list its members.
 * Every operation is O(members) or O(slots); nothing allocates.
 */
import { ATTAINMENT, BEHAVIOUR, MAX_SLOTS, R_ALIVE, type State } from './state.js';

/** Open an empty partnership (no members yet) and give it a history row. */
export function openPartnership(s: State, focus: number, la: number): number {
  const p = s.parts.allocate(la);
  s.parts.focus[p] = focus;
  s.parts.start[p] = s.step;
  const h = s.history.add();
  s.parts.hist[p] = h;
  s.history.start[h] = s.step;
  s.history.open(h, focus); // end reason R_ALIVE until it ends
  s.history.la[h] = la;
  if (s.recordMembers) s.history.members[h] = null;
  return p;
}

/** Is school i a member of partnership p? O(slots of i). */
export function isMember(s: State, p: number, i: number): boolean {
  const base = i * s.slotW;
  for (let k = 0; k < s.nSlots[i]; k++) if (s.members.part[s.slots[base + k]] === p) return true;
  return false;
}

/** Add school i to partnership p. Returns false if i is full or already a member. */
export function addMember(s: State, p: number, i: number): boolean {
  if (s.nSlots[i] >= MAX_SLOTS || isMember(s, p, i)) return false;
  if (s.nSlots[i] === s.slotW) s.widenSlots();
  const ms = s.members;
  const m = ms.allocate();
  ms.school[m] = i;
  ms.part[m] = p;
  ms.joined[m] = s.step;
  ms.benefit[m] = 0;
  ms.next[m] = s.parts.head[p];
  s.parts.head[p] = m;
  s.parts.size[p]++;
  s.slots[i * s.slotW + s.nSlots[i]++] = m;
  const f = s.parts.focus[p];
  if (f & ATTAINMENT) s.attCount[i]++;
  if (f & BEHAVIOUR) s.behCount[i]++;
  s.everPartnered[i] = 1;
  const h = s.parts.hist[p];
  if (s.parts.size[p] > s.history.maxSize[h]) s.history.maxSize[h] = s.parts.size[p];
  return true;
}

/** Remove membership m from its partnership and its school. */
export function removeMembership(s: State, m: number): void {
  const ms = s.members;
  const p = ms.part[m];
  const i = ms.school[m];
  // Unlink from the partnership's list.
  let prev = -1;
  for (let c = s.parts.head[p]; c !== -1; c = ms.next[c]) {
    if (c === m) {
      if (prev === -1) s.parts.head[p] = ms.next[c];
      else ms.next[prev] = ms.next[c];
      break;
    }
    prev = c;
  }
  s.parts.size[p]--;
  // Swap-remove from the school's slots.
  const base = i * s.slotW;
  const last = --s.nSlots[i];
  for (let k = 0; k <= last; k++) {
    if (s.slots[base + k] === m) {
      s.slots[base + k] = s.slots[base + last];
      break;
    }
  }
  const f = s.parts.focus[p];
  if (f & ATTAINMENT) s.attCount[i]--;
  if (f & BEHAVIOUR) s.behCount[i]--;
  if (s.parts.keySchool[p] === i) s.parts.keySchool[p] = -1;
  if (s.parts.leader[p] === i) s.parts.leader[p] = -1;
  ms.release(m);
}

/** Copy p's member schools into `out` (and memberships into `outM`); returns the count. */
export function gatherMembers(s: State, p: number, out: Int32Array, outM: Int32Array): number {
  let k = 0;
  for (let m = s.parts.head[p]; m !== -1; m = s.members.next[m]) {
    outM[k] = m;
    out[k++] = s.members.school[m];
  }
  return k;
}

/** End partnership p for `reason` (an index into END_REASONS): members leave, history closes. */
export function endPartnership(s: State, p: number, reason: number): void {
  const h = s.parts.hist[p];
  s.history.end[h] = s.step;
  s.history.close(h, reason, s.parts.funding[p], s.parts.shares[p], s.parts.fragile[p], s.parts.imposed[p]);
  s.history.primaries[h] = s.parts.primaries[p];
  s.history.others[h] = s.parts.others[p];
  if (s.recordMembers) s.history.members[h] = memberList(s, p);
  while (s.parts.head[p] !== -1) removeMembership(s, s.parts.head[p]);
  s.parts.release(p);
}

/** Member schools of p as a new array (for records, not the step loop). */
export function memberList(s: State, p: number): Int32Array {
  const out = new Int32Array(s.parts.size[p]);
  let k = 0;
  for (let m = s.parts.head[p]; m !== -1; m = s.members.next[m]) out[k++] = s.members.school[m];
  return out.sort();
}
