/**
 * Schools' membership slots (state.ts): the stride starts at formation.maxPerSchool, so
 * a default world holds 8 slots a school rather than MAX_SLOTS, and widens once, keeping
 * every school's slots in order, when a join that bypasses the limit needs more.
 */
import { describe, expect, it } from 'vitest';
import { ATTAINMENT, MAX_SLOTS } from '../../sim/state.js';
import { addMember, removeMembership } from '../../sim/partnership.js';
import { bareState, params, partnership, slotsOf } from './helpers.js';
import { checkState } from './check-state.js';

describe('membership slots', () => {
  it('start at maxPerSchool slots a school', () => {
    const s = bareState(40, params((p) => (p.formation.maxPerSchool = 8)));
    expect(s.slotW).toBe(8);
    expect(s.slots.length).toBe(40 * 8);
  });

  it('widen to MAX_SLOTS when a school needs more, keeping every school in order, and refuse past MAX_SLOTS', () => {
    const s = bareState(40, params((p) => (p.formation.maxPerSchool = 2)));
    expect(s.slotW).toBe(2);
    const parts: number[] = [];
    parts.push(partnership(s, [0, 1], ATTAINMENT), partnership(s, [3, 0], ATTAINMENT), partnership(s, [1, 2], ATTAINMENT));
    expect(s.slotW).toBe(2); // every school still within 2
    expect(slotsOf(s, 1)).toEqual([parts[0], parts[2]]);
    parts.push(partnership(s, [0, 4], ATTAINMENT)); // school 0's third
    expect(s.slotW).toBe(MAX_SLOTS);
    expect(s.slots.length).toBe(40 * MAX_SLOTS);
    expect(slotsOf(s, 0)).toEqual([parts[0], parts[1], parts[3]]);
    expect(slotsOf(s, 1)).toEqual([parts[0], parts[2]]);
    expect(slotsOf(s, 3)).toEqual([parts[1]]);
    for (let k = 4; k <= MAX_SLOTS; k++) parts.push(partnership(s, [0, 4 + k], ATTAINMENT));
    expect(s.nSlots[0]).toBe(MAX_SLOTS);
    const extra = partnership(s, [5, 6], ATTAINMENT);
    expect(addMember(s, extra, 0)).toBe(false);
    expect(s.nSlots[0]).toBe(MAX_SLOTS);
    checkState(s, null, 'after widening');
    // Swap-remove still works at the new stride: the last slot takes the removed one's place.
    removeMembership(s, s.slots[0 * s.slotW + 1]);
    expect(slotsOf(s, 0)).toEqual([parts[0], parts[parts.length - 1], ...parts.slice(3, parts.length - 1)]);
  });
});
