/**
 * Mechanism 2 — trust is built over time (NAO [13]; Klos & Nooteboom 2001).
 * Each step about half the members of a partnership each work with another member: a good
 * interaction raises their pairwise trust, t <- t + alpha (1 - t) (faster when they
 * share resources and where the LA supports them); a breach cuts it, t <- beta t.
 * Breaches are likelier where one school is cast as the leader of others, and the
 * further apart in quality a pair is (one gives, the other takes: lack of reciprocity,
 * NAO [Case Example 6]); administrative partnerships (moving excluded pupils, NAO [2.4])
 * rarely interact at all. Outside partnerships, informal sharing between neighbours
 * builds trust that later makes formal partnering likelier. Cost O(members).
 * A partnership's trust, the one its dissolution and effects use, is a running mean
 * of its interactions (half-life trust.memoryYears), so one bad term does not end it
 * but a run of breaches does. Interactions draw from the trust stream at (partnership
 * uid, step, c); informal sharing from its own stream at (school, step, c).
 */
import type { Stream } from './streams.js';
import type { State } from './state.js';
import { drawCandidate } from './formation.js';

/**
 * Interactions within partnership p, whose `count` member schools are in s.scratch:
 * about count/2 pairs work together this step, so each member takes part in about one
 * interaction. Returns the mean trust of the pairs that interacted.
 */
export function interact(s: State, p: number, count: number, st: Stream): number {
  const pt = s.p.trust;
  const P = s.parts;
  const members = s.scratch;
  const oneSided = P.leader[p] >= 0;
  const breachRate = oneSided ? pt.oneSidedBreachRate : pt.breachRate;
  const gain = pt.gain * (P.shares[p] ? pt.sharingGain : 1);
  const activity = P.administrative[p] ? 0.2 : 1;
  const pairs = count >> 1;
  const id = P.uid[p];
  const b = s.step;
  const off = st.int(count, id, b, 0);
  const table = s.trust;
  let sum = 0;
  for (let k = 0; k < pairs; k++) {
    const i = members[(off + k) % count];
    const j = members[(off + k + 1 + st.int(count - 1, id, b, 1 + 2 * k)) % count];
    const u = st.u(id, b, 2 + 2 * k);
    // Lack of reciprocity: the further apart the two schools are, the more one gives and the
    // other takes, and the likelier the work breeds tension (NAO [Case Example 6]).
    const gap = Math.abs(s.home[i] + s.shock[i] - s.home[j] - s.shock[j]);
    // get, breach or reward, through the table's methods that leave the trust in table.result (no boxed return)
    if (u >= activity) table.lookup(i, j, s.step);
    else if (u < activity * Math.min(1, breachRate + pt.reciprocityBreach * gap)) table.update(i, j, s.step, pt.breach, 0);
    else {
      const supported = s.world.laSupported[s.world.la[i]] ? 1.1 : 0.9;
      table.update(i, j, s.step, gain * supported, 1);
    }
    sum += table.result[0];
  }
  if (pairs === 0) return P.trust[p];
  const keep = s.trustKeep;
  const next = keep * P.trust[p] + (1 - keep) * (sum / pairs);
  // Trust leads to sharing: members who trust each other come to share staff, facilities and
  // documents (NAO [13, 2.15]). One uniform, the trust stream's (uid, step, -1).
  if (!P.shares[p] && !P.administrative[p] && next >= pt.sharingTrust && st.u(id, b, -1) < pt.sharingAdoptPerYear * s.dt) P.shares[p] = 1;
  return next;
}

/** Informal sharing of equipment or facilities between neighbours builds trust (NAO [13]). O(schools). */
export function informalSharing(s: State, st: Stream): void {
  const rate = s.p.trust.informalRate * (3 / s.spy);
  const alpha = s.p.trust.gain * 0.5;
  for (let i = 0; i < s.n; i++) {
    if (st.u(i, s.step, 0) >= rate) continue;
    const j = drawCandidate(s, i, st, s.step, 1);
    if (j !== i) s.trust.reward(i, j, s.step, alpha);
  }
}
