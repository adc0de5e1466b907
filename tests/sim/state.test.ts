/**
 * Memberships grow by doubling from a small start, and hand out the very ids, in the
 * same order, that a pool allocated at full size would: ids decide memory layout only,
 * and this keeps even the layout the same.
 */
import { describe, expect, it } from 'vitest';
import { Memberships } from '../../sim/state.js';

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
