/**
 * Mechanism 7 — people move on. 23% of partnerships would fail if certain individuals
 * left (NAO [2.20]). Each key-person school's key person leaves after an exponential
 * waiting time (staff turnover); fragile partnerships coordinated from that school
 * end, the others lose some trust. Departures are scheduled, so a step costs one
 * comparison per school plus the departing schools' slots. A departure's waiting time
 * is the people stream's (school, step, 0): departures never depend on the state.
 */
import type { Stream } from './streams.js';
import { endPartnership } from './partnership.js';
import { R_KEY_PERSON, type State } from './state.js';

/** Draw when school i's key person next leaves (in steps from now). */
export function scheduleDeparture(s: State, i: number, st: Stream): void {
  s.nextKeyLeave[i] = s.step + st.exponential(s.p.people.turnoverPerYear, i, s.step, 0) * s.spy;
}

export function scheduleDepartures(s: State, st: Stream): void {
  for (let i = 0; i < s.n; i++) scheduleDeparture(s, i, st);
}

/** Key people who leave this step, and what it does to their partnerships. */
export function peopleStep(s: State, st: Stream): void {
  const P = s.parts;
  for (let i = 0; i < s.n; i++) {
    if (s.nextKeyLeave[i] > s.step) continue;
    scheduleDeparture(s, i, st);
    if (!s.world.keyPerson[i]) continue;
    // Walk the slots backwards: ending a partnership swap-removes from this school's slots.
    for (let k = s.nSlots[i] - 1; k >= 0; k--) {
      if (k >= s.nSlots[i]) continue;
      const p = s.members.part[s.slots[i * s.slotW + k]];
      if (P.keySchool[p] !== i) continue;
      if (P.fragile[p]) endPartnership(s, p, R_KEY_PERSON);
      else {
        // The successor starts with less of the trust the key person had built.
        for (let m = P.head[p]; m !== -1; m = s.members.next[m]) {
          const j = s.members.school[m];
          if (j !== i) s.trust.set(i, j, s.step, s.trust.get(i, j, s.step) * s.p.people.trustLoss);
        }
      }
    }
  }
}
