/**
 * Memberships grow by doubling from a small start, and hand out the very ids, in the
 * same order, that a pool allocated at full size would: ids decide memory layout only,
 * and this keeps even the layout the same.
 */
import { describe, expect, it } from 'vitest';
import { History, Memberships, OPEN } from '../../sim/state.js';
import { defaultParams, engineParams, PARAM_TREE, type Params } from '../../sim/params.js';

/** A fixed pseudo-random schedule of allocations, releases and renumberings (an LCG). */
function script(pool: Memberships, ops: number): number[] {
  const ids: number[] = [];
  const live: number[] = [];
  let x = 12345;
  const rand = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
  for (let k = 0; k < ops; k++) {
    const r = rand();
    if (r < 0.6 || live.length === 0) {
      const m = pool.allocate();
      ids.push(m);
      live.push(m);
    } else if (r < 0.98) {
      const at = Math.floor(rand() * live.length);
      pool.release(live[at]);
      live.splice(at, 1);
    } else {
      // What compaction does: live ids become 0..count-1.
      live.sort((a, b) => a - b);
      for (let q = 0; q < live.length; q++) live[q] = q;
      pool.renumbered();
    }
  }
  return ids;
}

describe('Memberships', () => {
  it('a pool that starts small gives the same ids in the same order as one allocated at full size', () => {
    const full = script(new Memberships(4096), 5000);
    const small = new Memberships(4096, 2);
    const grown = script(small, 5000);
    expect(grown).toEqual(full);
    expect(small.cap).toBeGreaterThan(2); // it really grew
    expect(small.cap).toBeLessThan(4096);
  });

  it('stops at its limit with a clear error', () => {
    const m = new Memberships(3, 1);
    m.allocate();
    m.allocate();
    m.allocate();
    expect(() => m.allocate()).toThrow(/exhausted/);
  });
});

describe('History.prune', () => {
  it('drops rows that ended before the step given, keeps the rest in order with their numbers, and renumbers live slots', () => {
    const h = new History(4); // grows past its first size
    const ends = [-9, OPEN, -1, 0, OPEN, -3, 5, OPEN];
    for (let k = 0; k < ends.length; k++) {
      const r = h.add();
      h.start[r] = -20 + k;
      h.maxSize[r] = 10 + k;
      if (ends[k] !== OPEN) h.end[r] = ends[k];
    }
    // Three live slots (one dead in between) pointing at the open rows 1, 4 and 7.
    const hist = Int32Array.from([4, 99, 1, 7]);
    const alive = Uint8Array.from([1, 0, 1, 1]);
    h.prune(0, hist, 4, alive);
    expect(h.n).toBe(8); // partnerships ever formed
    expect(h.rows).toBe(5);
    expect([0, 1, 2, 3, 4].map((r) => h.idOf(r))).toEqual([1, 3, 4, 6, 7]);
    expect(Array.from(h.maxSize.subarray(0, 5))).toEqual([11, 13, 14, 16, 17]);
    expect(Array.from(h.end.subarray(0, 5))).toEqual([OPEN, 0, OPEN, 5, OPEN]);
    expect(Array.from(hist)).toEqual([2, 99, 0, 4]);
    // Freed rows are clean for the next add(), which numbers on from n.
    const r = h.add();
    expect([r, h.idOf(r), h.maxSize[r], h.end[r]]).toEqual([5, 8, 0, OPEN]);
  });

  it('numbers rows added after a prune on from n, through a second prune (only rows kept at a prune store their number)', () => {
    const h = new History(4);
    const ends: number[] = [];
    // Ten partnerships, every third ended in the spin-up; prune; ten more, every other ended in the spin-up; prune again.
    for (let k = 0; k < 10; k++) {
      const r = h.add();
      if (k % 3 === 0) h.end[r] = -5;
      ends.push(k % 3 === 0 ? -5 : OPEN);
    }
    const none = new Int32Array(0);
    h.prune(0, none, 0, new Uint8Array(0));
    let want = [1, 2, 4, 5, 7, 8];
    expect(Array.from({ length: h.rows }, (_, r) => h.idOf(r))).toEqual(want);
    for (let k = 10; k < 20; k++) {
      const r = h.add();
      if (k % 2 === 0) h.end[r] = -1;
    }
    want = [...want, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
    expect(Array.from({ length: h.rows }, (_, r) => h.idOf(r))).toEqual(want);
    h.prune(0, none, 0, new Uint8Array(0));
    want = [1, 2, 4, 5, 7, 8, 11, 13, 15, 17, 19];
    expect(Array.from({ length: h.rows }, (_, r) => h.idOf(r))).toEqual(want);
    const r = h.add();
    expect(h.idOf(r)).toBe(20);
    expect(h.n).toBe(21);
  });
});

describe('engineParams', () => {
  it('copies the parameters with every group in the parameter tree order, whatever order they came in', () => {
    const p = defaultParams();
    // the same values built in another order (groups and keys reversed), as a scenario merge may leave them
    const reversed = Object.fromEntries(Object.entries(p).reverse().map(([g, v]) => [g, Object.fromEntries(Object.entries(v as object).reverse())])) as unknown as Params;
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(p));
    const a = engineParams(p);
    const b = engineParams(reversed);
    expect(JSON.stringify(a)).toBe(JSON.stringify(p));
    expect(JSON.stringify(b)).toBe(JSON.stringify(p));
    expect(Object.keys(b)).toEqual(Object.keys(PARAM_TREE));
    expect(Object.keys(b.effects)).toEqual(Object.keys(PARAM_TREE.effects));
    // a copy: the engine's parameters are not the caller's objects
    a.effects.baseGain = 99;
    expect(p.effects.baseGain).not.toBe(99);
  });
});
