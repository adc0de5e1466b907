/** The state invariants every step must keep (used by the invariant and compaction tests). */
import { M, METRICS } from '../../sim/metrics.js';
import { membersOf } from './helpers.js';
import { ATTAINMENT, BEHAVIOUR, MAX_SLOTS, R_ALIVE, type State, OPEN } from '../../sim/state.js';

/** Throw with a message naming the broken invariant (plain checks: expect() is slow in these loops). */
function ok(cond: boolean, msg: string): void {
  if (!cond) throw new Error(`invariant broken: ${msg}`);
}

/** Every invariant the step must keep; throws at the first broken one. */
export function checkState(s: State, row: Float64Array | null, where: string): void {
  const P = s.parts;
  const ms = s.members;
  let slotsTotal = 0;
  // School side: each slot points to a live partnership whose list holds it.
  for (let i = 0; i < s.n; i++) {
    const n = s.nSlots[i];
    ok(n <= s.slotW && s.slotW <= MAX_SLOTS, `${where}: nSlots[${i}]`);
    slotsTotal += n;
    let att = 0;
    let beh = 0;
    const seen = new Set<number>();
    for (let k = 0; k < n; k++) {
      const m = s.slots[i * s.slotW + k];
      const p = ms.part[m];
      ok(ms.school[m] === i, `${where}: membership ${m} of school ${i}`);
      ok(P.alive[p] === 1, `${where}: school ${i} holds dead partnership ${p}`);
      ok(!seen.has(p), `${where}: school ${i} twice in partnership ${p}`);
      seen.add(p);
      let found = false;
      for (let x = P.head[p]; x !== -1; x = ms.next[x]) if (x === m) found = true;
      ok(found, `${where}: membership ${m} missing from partnership ${p}'s list`);
      if (P.focus[p] & ATTAINMENT) att++;
      if (P.focus[p] & BEHAVIOUR) beh++;
    }
    ok(s.attCount[i] === att, `${where}: attCount[${i}]`);
    ok(s.behCount[i] === beh, `${where}: behCount[${i}]`);
    // Float32 sums: a school that drops a partnership subtracts what it added, to rounding.
    ok(s.staffUsed[i] >= -1e-4, `${where}: staff time of school ${i} is ${s.staffUsed[i]}`);
  }
  // Partnership side: each list entry is in its school's slots; size is the list length.
  let listTotal = 0;
  let alive = 0;
  const liveHist = new Set<number>();
  for (let p = 0; p < P.high; p++) {
    if (!P.alive[p]) continue;
    alive++;
    let len = 0;
    for (let m = P.head[p]; m !== -1; m = ms.next[m]) {
      len++;
      ok(ms.part[m] === p, `${where}: membership ${m} in partnership ${p}`);
      const i = ms.school[m];
      let inSlots = false;
      for (let k = 0; k < s.nSlots[i]; k++) if (s.slots[i * s.slotW + k] === m) inSlots = true;
      ok(inSlots, `${where}: membership ${m} (school ${i}, partnership ${p}) not in the school's slots`);
      ok(len <= s.n, `${where}: partnership ${p}'s list does not end`);
    }
    listTotal += len;
    ok(P.size[p] === len, `${where}: size of partnership ${p}`);
    ok(len >= 2, `${where}: live partnership ${p} has fewer than two members`);
    ok(P.trust[p] >= 0 && P.trust[p] <= 1, `${where}: trust of partnership ${p} is ${P.trust[p]}`);
    ok(P.costDays[p] >= 0, `${where}: cost of partnership ${p}`);
    const mem = membersOf(s, p);
    for (let a = 0; a < mem.length; a++) {
      for (let b = a + 1; b < mem.length; b++) {
        const t = s.trust.get(mem[a], mem[b], s.step);
        ok(t >= 0 && t <= 1, `${where}: trust ${mem[a]}-${mem[b]} is ${t}`);
      }
    }
    const h = P.hist[p];
    ok(s.history.end[h] === OPEN, `${where}: live partnership ${p} has an end in the log`);
    ok(s.history.maxSize[h] >= len, `${where}: logged max size of partnership ${p}`);
    liveHist.add(h);
  }
  ok(alive === P.count, `${where}: ${alive} live partnerships, count says ${P.count}`);
  ok(listTotal === slotsTotal, `${where}: list entries ${listTotal} vs slots ${slotsTotal}`);
  ok(ms.count === slotsTotal, `${where}: membership pool count ${ms.count} vs slots ${slotsTotal}`);
  // The log: ended rows end no earlier than they start and carry a reason; open rows are live.
  const H = s.history;
  for (let k = 0; k < H.rows; k++) {
    ok(H.idOf(k) < H.n && (k === 0 || H.idOf(k) > H.idOf(k - 1)), `${where}: log row ${k} out of the order of formation`);
    // Once step 0 has run (its compaction prunes), rows of partnerships that began and ended in the spin-up are gone (History.prune).
    ok(s.step <= 0 || H.end[k] === OPEN || H.end[k] >= 0, `${where}: log row ${k} ended in the spin-up and was kept`);
    if (H.end[k] !== OPEN) {
      ok(H.end[k] >= H.start[k], `${where}: log row ${k}`);
      ok(H.reasonOf(k) !== R_ALIVE, `${where}: log row ${k} ended without a reason`);
    } else {
      ok(H.reasonOf(k) === R_ALIVE, `${where}: open log row ${k} has an end reason`);
      ok(liveHist.has(k), `${where}: open log row ${k} has no live partnership`);
    }
  }
  ok(liveHist.size === alive, `${where}: two live partnerships share a log row`);
  if (!row) return;
  for (const meta of METRICS) {
    const v = row[M[meta.id]];
    ok(Number.isFinite(v), `${where}: ${meta.id} = ${v}`);
    if (meta.unit === 'share of schools' || meta.unit === 'share of sessions' || meta.id === 'trust_mean') {
      ok(v >= 0 && v <= 1, `${where}: ${meta.id} = ${v}`);
    }
  }
  for (const id of ['staff_days', 'money_cost', 'exclusion_rate', 'days_lost', 'permanent_exclusions']) ok(row[M[id]] >= 0, `${where}: ${id}`);
  ok(s.staffCostStep >= 0 && s.grantCostStep >= 0 && s.pruCostStep >= 0, `${where}: a negative cost`);
  // Identities between the shares: any = attainment + behaviour - both.
  const any = row[M.share_attainment_partnership] + row[M.share_behaviour_partnership] - row[M.share_both];
  ok(Math.abs(row[M.share_any_partnership] - any) < 1e-12, `${where}: share_any is not att + beh - both`);
}
