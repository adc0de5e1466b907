import { describe, expect, it } from 'vitest';
import { compact } from '../../sim/compact.js';
import { checkState } from './check-state.js';
import { membersOf, model, params, world } from './helpers.js';

describe('compact', () => {
  it('renumbers partnerships LA by LA without changing any partnership, membership or invariant', () => {
    const p = params();
    const m = model(world(400, 3, p), p, 2, 3);
    m.initialise();
    m.run();
    const s = m.s;
    // Snapshot keyed by history id (stable across renumbering).
    const snap = new Map<number, string>();
    for (let q = 0; q < s.parts.high; q++) {
      if (!s.parts.alive[q]) continue;
      snap.set(s.parts.hist[q], JSON.stringify([membersOf(s, q).sort((a, b) => a - b), s.parts.focus[q], s.parts.start[q], s.parts.trust[q], s.parts.fadeAt[q], s.parts.la[q]]));
    }
    // Each partnership's memberships in list order, with their own fields (compaction moves them to new ids in place).
    const memberRows = (q: number): string => {
      const rows: number[][] = [];
      for (let m = s.parts.head[q]; m !== -1; m = s.members.next[m]) rows.push([s.members.school[m], s.members.joined[m], s.members.benefit[m], s.members.part[m] === q ? 1 : 0]);
      return JSON.stringify(rows);
    };
    const msnap = new Map<number, string>();
    let idsInOrder = true;
    let expectId = 0;
    for (let q = 0; q < s.parts.high; q++) {
      if (!s.parts.alive[q]) continue;
      msnap.set(s.parts.hist[q], memberRows(q));
    }
    for (let la = 0; la < s.parts.laHead.length; la++) for (let q = s.parts.laHead[la]; q !== -1; q = s.parts.laNext[q]) for (let m = s.parts.head[q]; m !== -1; m = s.members.next[m]) if (m !== expectId++) idsInOrder = false;
    expect(idsInOrder).toBe(false);
    const before = s.parts.count;
    // Before: slots out of LA order (or with gaps), so the test is not vacuous.
    let disordered = s.parts.high > before;
    for (let q = 1; q < s.parts.high; q++) if (s.parts.alive[q] && s.parts.alive[q - 1] && s.parts.la[q] < s.parts.la[q - 1]) disordered = true;
    expect(disordered).toBe(true);
    const newOf = compact(s);
    expect(s.parts.high).toBe(before);
    checkState(s, null, 'after compaction');
    const after = new Map<number, string>();
    for (let q = 0; q < s.parts.high; q++) {
      expect(s.parts.alive[q]).toBe(1);
      after.set(s.parts.hist[q], JSON.stringify([membersOf(s, q).sort((a, b) => a - b), s.parts.focus[q], s.parts.start[q], s.parts.trust[q], s.parts.fadeAt[q], s.parts.la[q]]));
    }
    expect(after).toEqual(snap);
    const mafter = new Map<number, string>();
    for (let q = 0; q < s.parts.high; q++) mafter.set(s.parts.hist[q], memberRows(q));
    expect(mafter).toEqual(msnap);
    // Membership ids now run 0, 1, 2, ... in partnership order, each list in its order.
    let id = 0;
    for (let q = 0; q < s.parts.high; q++) for (let m = s.parts.head[q]; m !== -1; m = s.members.next[m]) expect(m).toBe(id++);
    expect(id).toBe(s.members.count);
    // Slots are grouped by LA, in increasing LA order.
    for (let q = 1; q < s.parts.high; q++) expect(s.parts.la[q]).toBeGreaterThanOrEqual(s.parts.la[q - 1]);
    // The old-to-new map is a bijection onto 0..count-1.
    const targets = Array.from(newOf).filter((x) => x >= 0).sort((a, b) => a - b);
    expect(targets).toEqual(Array.from({ length: before }, (_, k) => k));
  });
});
