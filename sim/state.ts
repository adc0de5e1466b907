/**
 * The model's dynamic state, struct-of-arrays: per-school arrays indexed by school,
 * partnerships in reusable slots, memberships in a pooled linked list, and a log of
 * every partnership ever formed. Everything is allocated up front (or grown
 * geometrically on the rare event of overflow), so a step allocates nothing.
 */
import { engineParams, type Params } from './params.js';
import type { World } from './world.js';
import { TrustTable } from './trust-table.js';
import * as fmath from './fmath.js';
import { reserveScratchFor, scratchBuffer } from './scratch.js';
import { RADIX } from './rank.js';

/** Partnership focus (NAO [2.2]); Both counts as attainment and behaviour. */
export const ATTAINMENT = 1;
export const BEHAVIOUR = 2;
export const BOTH = 3;

/** Funding sources, NAO [Figure 14]. */
export const FUNDING_NAMES = ['own-budget', 'grant-to-school', 'grant-to-partnership', 'several', 'other'] as const;
export const OWN_BUDGET = 0;

/** Why a partnership ended. */
export const END_REASONS = ['alive', 'trust', 'funding', 'key-person', 'cost-benefit', 'staff-time', 'members-left', 'policy', 'faded', 'objectives-met'] as const;
export type EndReason = (typeof END_REASONS)[number];
export const R_ALIVE = 0;
export const R_TRUST = 1;
export const R_FUNDING = 2;
export const R_KEY_PERSON = 3;
export const R_COST_BENEFIT = 4;
export const R_STAFF_TIME = 5;
export const R_MEMBERS_LEFT = 6;
export const R_POLICY = 7;
export const R_FADED = 8;
export const R_OBJECTIVES_MET = 9;

/** Which levers are in force this step (set by policy.ts from the scenario's levers and start years). */
export class ActiveLevers {
  incentive = 0;
  statutoryBehaviour = false;
  fundingWithdrawn = false;
  costBenefitReview = false;
  clearObjectives = false;
  governorOversight = false;
  imposedForms = false;
  exclusionProtocol = false;
  noPartnering = false;
  ofstedJudgesPartnership = false;
}

/** History end of a partnership still running (a 16-bit value: the log stores steps as 16-bit integers, and a run's steps stay within +/-5,200). */
export const OPEN = 0x7fff;

/**
 * A partnership's step stored in 16 bits (start, end of its grant, fade): LATER stands for any step at or after it,
 * which no run reaches (a run's steps stay within +/-5,200), so comparisons with the current step keep their answers.
 */
export const LATER = 0x7fff;
export function laterStep(t: number): number {
  return t < LATER ? t : LATER;
}

/** Byte offset in the thread's scratch buffer of a state's step temporaries: past a trust repack's use (8 bytes a school and its 65,536-entry count table). */
export function STEP_TEMPORARIES_AT(n: number): number {
  return 8 * n + 4 * RADIX;
}

/** Hard cap on partnerships one school can hold (the parameter may set fewer). */
export const MAX_SLOTS = 16;

function growF32(a: Float32Array, n: number): Float32Array {
  const b = new Float32Array(n);
  b.set(a);
  return b;
}
function growI32(a: Int32Array, n: number, fill = 0): Int32Array {
  const b = new Int32Array(n);
  if (fill !== 0) b.fill(fill);
  b.set(a);
  return b;
}
function growI16(a: Int16Array, n: number): Int16Array {
  const b = new Int16Array(n);
  b.set(a);
  return b;
}
function growU8(a: Uint8Array, n: number): Uint8Array {
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}
function growU16(a: Uint16Array, n: number): Uint16Array {
  const b = new Uint16Array(n);
  b.set(a);
  return b;
}

/** Partnerships in slots; a dead slot is reused by the next formation. */
export class Partnerships {
  cap: number;
  /** Highest slot ever used + 1: loops run over 0..high. */
  high = 0;
  alive: Uint8Array;
  focus: Uint8Array;
  /** Step the partnership began (16-bit, as the log's). */
  start: Int16Array;
  funding: Uint8Array;
  /** 1 while a dedicated grant is running (it buys staff cover and resources, NAO [2.19, Figure 14]). */
  funded: Uint8Array;
  /** Step at which the dedicated grant ends (meaningful only while funded; 16-bit, LATER for any step past LATER). */
  fundingEnd: Int16Array;
  /** Identity for the partnership's own random draws: a hash of (coordinator, start step, how it was made). */
  uid: Int32Array;
  shares: Uint8Array;
  /** 0 none, 1 written, 2 clear and measurable. */
  objectives: Uint8Array;
  governance: Uint8Array;
  fragile: Uint8Array;
  /** School whose key person the partnership depends on (-1 none). */
  keySchool: Int32Array;
  /** Leading school where one is cast as leader of others (-1 reciprocal). */
  leader: Int32Array;
  imposed: Uint8Array;
  administrative: Uint8Array;
  primaries: Uint16Array;
  others: Uint8Array;
  size: Uint16Array;
  /** First membership (-1 none). */
  head: Int32Array;
  trust: Float32Array;
  /** Benefit (attainment points, summed over members) and staff days so far. */
  benefit: Float32Array;
  costDays: Float32Array;
  /** Benefit and cost since the last review (for cost-benefit review). */
  reviewBenefit: Float32Array;
  reviewCost: Float32Array;
  /** Behaviour benefit since the last review: fixed-term exclusions a year avoided, summed over members. */
  reviewBeh: Float32Array;
  hist: Int32Array;
  /** LA each partnership belongs to (16-bit up to 65,536 LAs, as the log's), and per-LA doubly linked lists (heavy loops run LA by LA, for cache locality). */
  la: Uint16Array | Int32Array;
  laHead: Int32Array;
  laNext: Int32Array;
  laPrev: Int32Array;
  /** Step at which the background hazard ends the partnership (drawn once at formation; 16-bit, LATER for never). */
  fadeAt: Int16Array;
  private freeList: Int32Array;
  private nFree = 0;
  count = 0;

  constructor(cap: number, nLa: number) {
    this.cap = cap;
    // Slots from `high` on are never read, and allocate() writes every field of a slot it hands out, so nothing is
    // pre-filled: pages of slots never used are never written and cost no memory (the OS commits a page on first write).
    this.la = nLa <= 65536 ? new Uint16Array(cap) : new Int32Array(cap);
    this.laHead = new Int32Array(nLa).fill(-1);
    this.laNext = new Int32Array(cap);
    this.laPrev = new Int32Array(cap);
    this.alive = new Uint8Array(cap);
    this.focus = new Uint8Array(cap);
    this.start = new Int16Array(cap);
    this.funding = new Uint8Array(cap);
    this.funded = new Uint8Array(cap);
    this.fundingEnd = new Int16Array(cap);
    this.uid = new Int32Array(cap);
    this.shares = new Uint8Array(cap);
    this.objectives = new Uint8Array(cap);
    this.governance = new Uint8Array(cap);
    this.fragile = new Uint8Array(cap);
    this.keySchool = new Int32Array(cap);
    this.leader = new Int32Array(cap);
    this.imposed = new Uint8Array(cap);
    this.administrative = new Uint8Array(cap);
    this.primaries = new Uint16Array(cap);
    this.others = new Uint8Array(cap);
    this.size = new Uint16Array(cap);
    this.head = new Int32Array(cap);
    this.trust = new Float32Array(cap);
    this.benefit = new Float32Array(cap);
    this.costDays = new Float32Array(cap);
    this.reviewBenefit = new Float32Array(cap);
    this.reviewCost = new Float32Array(cap);
    this.reviewBeh = new Float32Array(cap);
    this.hist = new Int32Array(cap);
    this.fadeAt = new Int16Array(cap);
    this.freeList = new Int32Array(cap);
  }

  /** A fresh slot in LA `la`'s list, with every field reset. */
  allocate(la: number): number {
    let p: number;
    if (this.nFree > 0) p = this.freeList[--this.nFree];
    else {
      if (this.high === this.cap) this.grow();
      p = this.high++;
    }
    this.la[p] = la;
    this.laPrev[p] = -1;
    this.laNext[p] = this.laHead[la];
    if (this.laHead[la] !== -1) this.laPrev[this.laHead[la]] = p;
    this.laHead[la] = p;
    this.alive[p] = 1;
    this.focus[p] = 0;
    this.start[p] = 0;
    this.funding[p] = 0;
    this.funded[p] = 0;
    this.fundingEnd[p] = 0;
    this.uid[p] = 0;
    this.shares[p] = 0;
    this.objectives[p] = 0;
    this.governance[p] = 0;
    this.fragile[p] = 0;
    this.keySchool[p] = -1;
    this.leader[p] = -1;
    this.imposed[p] = 0;
    this.administrative[p] = 0;
    this.primaries[p] = 0;
    this.others[p] = 0;
    this.size[p] = 0;
    this.head[p] = -1;
    this.trust[p] = 0;
    this.benefit[p] = 0;
    this.costDays[p] = 0;
    this.reviewBenefit[p] = 0;
    this.reviewCost[p] = 0;
    this.reviewBeh[p] = 0;
    this.hist[p] = -1;
    this.fadeAt[p] = LATER;
    this.count++;
    return p;
  }

  /** Every per-slot array, for permuting slots (compaction). */
  slotArrays(): (Uint8Array | Uint16Array | Int16Array | Int32Array | Float32Array)[] {
    return [this.alive, this.focus, this.start, this.funding, this.funded, this.fundingEnd, this.uid, this.reviewBeh, this.shares, this.objectives, this.governance, this.fragile, this.keySchool, this.leader, this.imposed, this.administrative, this.primaries, this.others, this.size, this.head, this.trust, this.benefit, this.costDays, this.reviewBenefit, this.reviewCost, this.hist, this.fadeAt, this.la];
  }

  /** After compaction: slots 0..count-1 are live, LA by LA; rebuild the LA lists and empty the free list. */
  renumbered(count: number): void {
    this.high = count;
    this.nFree = 0;
    this.laHead.fill(-1);
    // Slots are in LA order, so each LA's list is a run of consecutive slots.
    for (let p = count - 1; p >= 0; p--) {
      const la = this.la[p];
      this.laNext[p] = this.laHead[la];
      this.laPrev[p] = -1;
      if (this.laHead[la] !== -1) this.laPrev[this.laHead[la]] = p;
      this.laHead[la] = p;
    }
  }

  release(p: number): void {
    const prev = this.laPrev[p];
    const next = this.laNext[p];
    if (prev === -1) this.laHead[this.la[p]] = next;
    else this.laNext[prev] = next;
    if (next !== -1) this.laPrev[next] = prev;
    this.alive[p] = 0;
    this.freeList[this.nFree++] = p;
    this.count--;
  }

  private grow(): void {
    const n = Math.ceil(this.cap * 1.5);
    this.alive = growU8(this.alive, n);
    this.focus = growU8(this.focus, n);
    this.start = growI16(this.start, n);
    this.funding = growU8(this.funding, n);
    this.funded = growU8(this.funded, n);
    this.fundingEnd = growI16(this.fundingEnd, n);
    this.uid = growI32(this.uid, n);
    this.reviewBeh = growF32(this.reviewBeh, n);
    this.shares = growU8(this.shares, n);
    this.objectives = growU8(this.objectives, n);
    this.governance = growU8(this.governance, n);
    this.fragile = growU8(this.fragile, n);
    this.keySchool = growI32(this.keySchool, n, -1);
    this.leader = growI32(this.leader, n, -1);
    this.imposed = growU8(this.imposed, n);
    this.administrative = growU8(this.administrative, n);
    this.primaries = growU16(this.primaries, n);
    this.others = growU8(this.others, n);
    this.size = growU16(this.size, n);
    this.head = growI32(this.head, n, -1);
    this.trust = growF32(this.trust, n);
    this.benefit = growF32(this.benefit, n);
    this.costDays = growF32(this.costDays, n);
    this.reviewBenefit = growF32(this.reviewBenefit, n);
    this.reviewCost = growF32(this.reviewCost, n);
    this.hist = growI32(this.hist, n, -1);
    this.fadeAt = growI16(this.fadeAt, n);
    this.la = this.la instanceof Uint16Array ? growU16(this.la, n) : growI32(this.la, n);
    this.laNext = growI32(this.laNext, n, -1);
    this.laPrev = growI32(this.laPrev, n, -1);
    this.freeList = growI32(this.freeList, n);
    this.cap = n;
  }
}

/** Memberships: (school, partnership) pairs in a pooled singly linked list per partnership. */
export class Memberships {
  school: Int32Array;
  part: Int32Array;
  next: Int32Array;
  /** Step the member joined (16-bit, like the log's steps: a run's steps stay within +/-5,200). */
  joined: Int16Array;
  /** Attainment points this member has gained from the partnership so far. */
  benefit: Float32Array;
  /** Released ids, handed out again last-in first-out before any fresh one. */
  private freeList: Int32Array;
  private nFree = 0;
  /** Ids ever handed out since the last renumbering: fresh ids come in order from here. */
  high = 0;
  count = 0;

  /** Allocated entries; grows by half up to `limit`. Entries from `high` on were never written, so cost no memory (the operating system commits a page on its first write). */
  cap: number;

  constructor(
    /** Most memberships there can be (every school in MAX_SLOTS partnerships). */
    readonly limit: number,
    initial = limit,
  ) {
    const cap = Math.max(1, Math.min(limit, initial));
    this.cap = cap;
    this.school = new Int32Array(cap);
    this.part = new Int32Array(cap);
    this.next = new Int32Array(cap);
    this.joined = new Int16Array(cap);
    this.benefit = new Float32Array(cap);
    this.freeList = new Int32Array(cap);
  }

  /** The most recently released id, else the lowest never handed out (the same sequence whatever the pool's starting size). */
  allocate(): number {
    this.count++;
    if (this.nFree > 0) return this.freeList[--this.nFree];
    if (this.high === this.cap) this.grow();
    return this.high++;
  }

  /** Grow the pool by half (only when it started below its limit). */
  private grow(): void {
    if (this.cap >= this.limit) throw new Error('membership pool exhausted');
    const old = this.cap;
    const cap = Math.min(this.limit, Math.ceil(old * 1.5));
    const widen = <A extends Int32Array | Int16Array | Float32Array>(a: A, make: (n: number) => A): A => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.school = widen(this.school, (n) => new Int32Array(n));
    this.part = widen(this.part, (n) => new Int32Array(n));
    this.next = widen(this.next, (n) => new Int32Array(n));
    this.joined = widen(this.joined, (n) => new Int16Array(n));
    this.benefit = widen(this.benefit, (n) => new Float32Array(n));
    this.freeList = widen(this.freeList, (n) => new Int32Array(n));
    this.cap = cap;
  }

  release(m: number): void {
    this.count--;
    this.freeList[this.nFree++] = m;
  }

  /** After compaction: ids 0..count-1 are in use; hand out count, count+1, ... next. */
  renumbered(): void {
    this.nFree = 0;
    this.high = this.count;
  }

  /** Elements of a field in use, for snapshots (model.ts): ids below the high-water mark, the free stack's depth. */
  usedLength(field: string): number {
    return field === 'freeList' ? this.nFree : this.high;
  }
}

/**
 * The log of partnerships: one row per partnership, in the order they were formed,
 * grown by half as much again when full. Rows of partnerships that began and ended in
 * the spin-up (ended before autumn 2007) are dropped at each yearly compaction up to
 * autumn 2007 (prune): no output reads them (outputs cover partnerships alive at some
 * point of the run), and they were more than half the log of a default run. `n`
 * still counts every partnership ever formed; idOf(row) is each row's place in that
 * order (the partnership number of partnerships.csv). Only the rows kept at the last
 * prune store their number: every later row's is its row plus a fixed shift, as rows
 * are added one a partnership and none is dropped after the last prune.
 */
export class History {
  cap: number;
  /** Partnerships ever formed (rows dropped by prune included). */
  n = 0;
  /** Rows kept: 0 .. rows-1. */
  rows = 0;
  /** Partnership numbers of rows 0 .. explicitRows-1 (those kept at the last prune); see idOf. */
  private id: Int32Array;
  private explicitRows = 0;
  /** Partnership number minus row, for rows from explicitRows on. */
  private idShift = 0;
  /** Step the partnership began (16-bit: at most 100 years of 52 steps either side of autumn 2007). */
  start: Int16Array;
  /** Step the partnership ended, or OPEN while it runs (steps before autumn 2007, in the spin-up, are negative). */
  end: Int16Array;
  /** Focus (bits 0-1), end reason (2-5), funding source (6-8), shares resources (9), fragile (10) and imposed (11-12) of each row, in 16 bits: read them with focusOf .. imposedOf. */
  flags: Uint16Array;
  maxSize: Uint16Array;
  primaries: Uint16Array;
  others: Uint8Array;
  /** LA of each row: 16-bit while there are at most 65,536 LAs (any world up to about 1.4 million schools), else 32-bit. */
  la: Uint16Array | Int32Array;
  /** Members when the partnership ended (or at the end of the run), if recorded. */
  members: (Int32Array | null)[] = [];

  constructor(cap: number, nLa = Infinity) {
    this.cap = cap;
    this.id = new Int32Array(cap);
    this.start = new Int16Array(cap);
    // Rows from n on are never written (add() opens a row by writing OPEN), so a large cap costs memory only as rows are used.
    this.end = new Int16Array(cap);
    this.flags = new Uint16Array(cap);
    this.maxSize = new Uint16Array(cap);
    this.primaries = new Uint16Array(cap);
    this.others = new Uint8Array(cap);
    this.la = nLa <= 65536 ? new Uint16Array(cap) : new Int32Array(cap);
  }

  /** A new open row (its fields other than end are zero); returns its row index. */
  add(): number {
    if (this.rows === this.cap) {
      // Half as much again (not double): the log is the largest per-school array of a long run.
      const c = Math.ceil(this.cap * 1.5);
      this.id = growI32(this.id, c);
      this.start = growI16(this.start, c);
      this.end = growI16(this.end, c);
      this.flags = growU16(this.flags, c);
      this.maxSize = growU16(this.maxSize, c);
      this.primaries = growU16(this.primaries, c);
      this.others = growU8(this.others, c);
      this.la = this.la instanceof Uint16Array ? growU16(this.la, c) : growI32(this.la, c);
      this.cap = c;
    }
    const r = this.rows++;
    this.end[r] = OPEN;
    this.n++;
    return r;
  }

  /** Row r's focus (ATTAINMENT, BEHAVIOUR or BOTH). */
  focusOf(r: number): number {
    return this.flags[r] & 3;
  }
  /** Why row r's partnership ended (an index into END_REASONS; R_ALIVE while it runs). */
  reasonOf(r: number): number {
    return (this.flags[r] >>> 2) & 15;
  }
  /** Funding source when it ended (FUNDING_NAMES), whether it shared resources, was fragile, was imposed (0, 1 mandated, 2 statutory). */
  fundingOf(r: number): number {
    return (this.flags[r] >>> 6) & 7;
  }
  sharesOf(r: number): number {
    return (this.flags[r] >>> 9) & 1;
  }
  fragileOf(r: number): number {
    return (this.flags[r] >>> 10) & 1;
  }
  imposedOf(r: number): number {
    return (this.flags[r] >>> 11) & 3;
  }

  /** Row r (new, so zero) opens with its focus; its end reason is R_ALIVE (0). */
  open(r: number, focus: number): void {
    if (focus >>> 2 !== 0) throw new RangeError(`history: focus ${focus} does not fit in 2 bits`);
    this.flags[r] = focus;
  }

  /** Row r closes: the end reason and the attributes the partnership ended with (each refused if it does not fit its bits). */
  close(r: number, reason: number, funding: number, shares: number, fragile: number, imposed: number): void {
    if (reason >>> 4 !== 0 || funding >>> 3 !== 0 || shares >>> 1 !== 0 || fragile >>> 1 !== 0 || imposed >>> 2 !== 0) {
      throw new RangeError(`history: end attributes (reason ${reason}, funding ${funding}, shares ${shares}, fragile ${fragile}, imposed ${imposed}) do not fit their bits`);
    }
    this.flags[r] = (this.flags[r] & 3) | (reason << 2) | (funding << 6) | (shares << 9) | (fragile << 10) | (imposed << 11);
  }

  /** Row r's partnership number: its place in the order of formation (0 .. n-1). */
  idOf(r: number): number {
    return r < this.explicitRows ? this.id[r] : r + this.idShift;
  }

  /**
   * Drop the rows of partnerships that ended before step `before`, keeping the others in
   * order; the rows of live partnership slots (`hist`, for slots 0 .. slots-1 where
   * `alive`) are renumbered to match. Freed rows are zeroed, as add() expects of a new
   * row. O(rows + live log rows); nothing allocated.
   */
  prune(before: number, hist: Int32Array, slots: number, alive: Uint8Array): void {
    const rows = this.rows;
    // Live slots point at open rows, which are kept: note each one's partnership number, find its new row after.
    for (let p = 0; p < slots; p++) if (alive[p]) hist[p] = this.idOf(hist[p]);
    const keepMembers = this.members.length > 0;
    let w = 0;
    for (let r = 0; r < rows; r++) {
      const e = this.end[r];
      if (e !== OPEN && e < before) continue;
      // Every kept row's number is written out (w <= r, so idOf(r) is read before row r can be overwritten).
      this.id[w] = this.idOf(r);
      if (w !== r) {
        this.start[w] = this.start[r];
        this.end[w] = e;
        this.flags[w] = this.flags[r];
        this.maxSize[w] = this.maxSize[r];
        this.primaries[w] = this.primaries[r];
        this.others[w] = this.others[r];
        this.la[w] = this.la[r];
        if (keepMembers) this.members[w] = this.members[r];
      }
      w++;
    }
    for (let r = w; r < Math.min(rows, this.explicitRows); r++) this.id[r] = 0;
    this.explicitRows = w;
    this.idShift = this.n - w;
    for (let r = w; r < rows; r++) {
      this.start[r] = 0;
      this.end[r] = 0;
      this.flags[r] = 0;
      this.maxSize[r] = 0;
      this.primaries[r] = 0;
      this.others[r] = 0;
      this.la[r] = 0;
    }
    if (keepMembers) this.members.length = w;
    this.rows = w;
    // Rows are in increasing partnership number: binary search for each live slot's.
    for (let p = 0; p < slots; p++) {
      if (!alive[p]) continue;
      const id = hist[p];
      let lo = 0;
      let hi = w - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.id[mid] < id) lo = mid + 1;
        else hi = mid;
      }
      if (this.id[lo] !== id) throw new Error(`history: live partnership ${id} has no row`);
      hist[p] = lo;
    }
  }

  /** Elements of a field in use, for snapshots (model.ts): the rows kept. */
  usedLength(_field: string): number {
    return this.rows;
  }
}

/** Per-school dynamic state and everything the step reads and writes. */
export class State {
  readonly n: number;
  readonly spy: number;
  readonly dt: number;
  /** Weight a partnership's trust keeps on its past each step: 0.5^(dt / trust.memoryYears) (trust.ts; computed once, not a pow per partnership and step). */
  readonly trustKeep: number;
  step = 0;
  // --- per school (the world is never mutated: fields the model changes are copies of it)
  /** Underlying quality and behaviour climate: the world's own arrays (the model only reads them). */
  readonly home: Float32Array;
  readonly shock: Float32Array;
  readonly behHome: Float32Array;
  readonly behShock: Float32Array;
  readonly improveAtt: Float32Array;
  readonly improveBeh: Float32Array;
  /**
   * Transition points and the step's gains (points, log-rate) before they enter the improvement stocks: they live only
   * from the trust-and-effects pass (zeroed there) to outcomes in the same step, when no pass uses the thread's scratch
   * buffer beyond a trust repack's first 8 bytes a school, so they are views of it just past that (stepTemporaries),
   * on pages the yearly compaction writes anyway: 12 bytes a school less.
   */
  readonly transition: Float32Array;
  readonly attendance: Float32Array;
  /** The school's attendance swing about its own level (mean-reverting). */
  readonly attendanceShock: Float32Array;
  /** Attendance averaged over the key stage (exponentially weighted): what attainment responds to. */
  readonly attendanceKs: Float32Array;
  readonly attainment: Float32Array;
  readonly cva: Float32Array;
  /** Attainment one year ago (ring of spy values per school). */
  readonly attainmentRing: Float32Array;
  readonly trend: Float32Array;
  readonly ofstedProgress: Uint8Array;
  readonly ofstedBehaviour: Uint8Array;
  /** Progress grade the latest inspection would have given without any credit for partnership work (true quality vs grade). */
  readonly ofstedProgressTrue: Uint8Array;
  readonly nextInspection: Float32Array;
  /** Staff days a term the school can give to partnering now (its world budget times a persistent staffing factor). */
  readonly staffBudget: Float32Array;
  /** The staffing factor's standard normal state (AR(1) from year to year). */
  readonly staffZ: Float32Array;
  readonly staffUsed: Float32Array;
  readonly needAtt: Float32Array;
  readonly needBeh: Float32Array;
  readonly highPerformer: Uint8Array;
  readonly nextKeyLeave: Float32Array;
  readonly gainAtt: Float32Array;
  readonly gainBeh: Float32Array;
  /** Exclusions in the current step (counts); days lost are daysLost(i), derived from the fixed-term count. */
  readonly fixedTerm: Float32Array;
  readonly permanent: Float32Array;
  /**
   * Each school's memberships: school i's are slots[i * slotW + k] for k < nSlots[i]. The
   * stride starts at formation.maxPerSchool (formation never fills more) and widens once
   * to MAX_SLOTS when a membership that bypasses that limit (statutory joins) needs it.
   */
  slots: Int32Array;
  slotW: number;
  readonly nSlots: Uint8Array;
  readonly attCount: Uint8Array;
  readonly behCount: Uint8Array;
  /** The schools' mean FSM share and its SD (fixed at the start): need's deprivation is fsmZ(i), a school's FSM share in SDs from the mean. */
  readonly fsmMean: number;
  readonly fsmSd: number;
  /** Each school's disposition to partner (mean 1; formation.opennessSd), set at initialisation. */
  readonly openness: Float32Array;
  /** 1 from the step a school ever joins a partnership. */
  readonly everPartnered: Uint8Array;
  // --- per LA
  readonly laProtocol: Uint8Array;
  readonly laPruDays: Float64Array;
  // --- partnerships
  readonly parts: Partnerships;
  readonly members: Memberships;
  readonly history: History;
  readonly trust: TrustTable;
  /** Scratch buffer for one partnership's members. */
  readonly scratch: Int32Array;
  readonly scratchM: Int32Array;
  /** National scales set at initialisation so totals match the national figures. */
  fixedScale = 0;
  permanentScale = 0;
  recordMembers = false;
  readonly lev = new ActiveLevers();
  /** Feeder primaries per secondary: the world's own array (the model only reads it). */
  readonly feeders: Uint16Array;
  /** Fixed at the start: FSM band (0-3) and attainment quartile (0 lowest - 3 highest) per school. */
  readonly fsmBand: Uint8Array;
  readonly startQuartile: Uint8Array;
  /** Attainment at the top-quartile threshold (of the current distribution, updated yearly), the start's mean, and national exclusion rate (per pupil-year). */
  topQuartile = 0;
  /** First step simulated: minus the spin-up's steps (steps before autumn 2007 are negative). */
  firstStep = 0;
  startMean = 0;
  nationalExclusionRate = 0;
  /** Counts of what partnerships did when dedicated funding ended: continue, found other, ended, unsure-continued. */
  readonly fundingOutcomes = new Float64Array(4);
  /** What partnerships said they would do when funding ended (NAO [2.19]): continue, seek other funding, end, unsure. */
  readonly fundingIntent = new Float64Array(4);
  /** Money spent this step (GBP): staff time, grants, PRU places. */
  staffCostStep = 0;
  grantCostStep = 0;
  pruCostStep = 0;
  /** Managed moves this step (permanent exclusions a behaviour partnership turned into moves). */
  managedMovesStep = 0;
  /** Exclusion charges the schools paid under the protocol this step (GBP), summed over schools. */
  protocolPaidStep = 0;

  /** The parameters, as engineParams copies them (fast objects of one shape whatever the scenario). */
  readonly p: Params;

  constructor(
    readonly world: World,
    params: Params,
    stepsPerYear: number,
  ) {
    const p = engineParams(params);
    this.p = p;
    const n = world.n;
    this.n = n;
    this.spy = stepsPerYear;
    this.dt = 1 / stepsPerYear;
    this.trustKeep = fmath.pow(0.5, this.dt / p.trust.memoryYears);
    this.home = world.quality;
    this.shock = new Float32Array(n);
    this.behHome = world.behaviour;
    this.behShock = new Float32Array(n);
    this.improveAtt = new Float32Array(n);
    this.improveBeh = new Float32Array(n);
    // Compaction needs about 22 bytes a school in a default run, a trust repack 8 and a radix table; only what is written is resident.
    reserveScratchFor(n);
    const tmp = scratchBuffer(STEP_TEMPORARIES_AT(n) + 12 * n);
    this.transition = new Float32Array(tmp, STEP_TEMPORARIES_AT(n), n);
    this.gainAtt = new Float32Array(tmp, STEP_TEMPORARIES_AT(n) + 4 * n, n);
    this.gainBeh = new Float32Array(tmp, STEP_TEMPORARIES_AT(n) + 8 * n, n);
    this.attendance = Float32Array.from(world.attendance);
    this.attendanceShock = new Float32Array(n);
    this.attendanceKs = Float32Array.from(world.attendance);
    this.attainment = Float32Array.from(world.attainment);
    this.cva = new Float32Array(n);
    this.attainmentRing = new Float32Array(n * stepsPerYear);
    for (let i = 0; i < n; i++) for (let k = 0; k < stepsPerYear; k++) this.attainmentRing[i * stepsPerYear + k] = world.attainment[i];
    this.trend = new Float32Array(n);
    this.ofstedProgress = Uint8Array.from(world.ofstedProgress);
    this.ofstedBehaviour = Uint8Array.from(world.ofstedBehaviour);
    this.ofstedProgressTrue = Uint8Array.from(world.ofstedProgress);
    this.nextInspection = new Float32Array(n);
    this.staffBudget = Float32Array.from(world.staffDays);
    this.staffZ = new Float32Array(n);
    this.staffUsed = new Float32Array(n);
    this.needAtt = new Float32Array(n);
    this.needBeh = new Float32Array(n);
    this.highPerformer = new Uint8Array(n);
    this.nextKeyLeave = new Float32Array(n);
    this.fixedTerm = new Float32Array(n);
    this.permanent = new Float32Array(n);
    this.slotW = Math.max(1, Math.min(MAX_SLOTS, Math.floor(p.formation.maxPerSchool)));
    this.slots = new Int32Array(n * this.slotW);
    this.nSlots = new Uint8Array(n);
    this.attCount = new Uint8Array(n);
    this.behCount = new Uint8Array(n);
    this.everPartnered = new Uint8Array(n);
    this.openness = new Float32Array(n).fill(1);
    let fm = 0;
    for (let i = 0; i < n; i++) fm += world.fsm[i];
    fm /= n;
    let fv = 0;
    for (let i = 0; i < n; i++) fv += (world.fsm[i] - fm) ** 2;
    this.fsmMean = fm;
    this.fsmSd = Math.sqrt(fv / Math.max(1, n - 1)) || 1;
    this.laProtocol = new Uint8Array(world.nLa);
    this.laPruDays = new Float64Array(world.nLa);
    // About 0.9 partnerships a school run at once: start at one slot a school, grow by half if needed.
    this.parts = new Partnerships(Math.max(64, n), world.nLa);
    // Memberships and the log are allocated at their limits at once but written from the start, so only what is used is
    // resident (the operating system commits a page on its first write); growing would copy and leave the old arrays as
    // garbage until the next full collection, which set the peak. A long run logs about 8 partnerships a school.
    this.members = new Memberships(n * MAX_SLOTS);
    this.history = new History(Math.max(64, n * 16), world.nLa);
    this.trust = new TrustTable(n, p.trust.initial, 1 - fmath.pow(1 - p.trust.decayPerYear, 1 / stepsPerYear));
    this.feeders = world.feeders;
    this.fsmBand = new Uint8Array(n);
    this.startQuartile = new Uint8Array(n);
    this.scratch = new Int32Array(n);
    this.scratchM = new Int32Array(n);
  }

  /** Scratch copy of attainment for the yearly top-quartile threshold: a view of the thread's scratch buffer (scratch.ts), valid until compaction or a trust repack. */
  get sortBuf(): Float32Array {
    return new Float32Array(scratchBuffer(this.n * 4), 0, this.n);
  }

  /**
   * School i's FSM share in SDs from the schools' mean, as a 32-bit float (the value a per-school array held; computed
   * on demand from the world's FSM share: 4 bytes a school).
   */
  fsmZ(i: number): number {
    return Math.fround((this.world.fsm[i] - this.fsmMean) / this.fsmSd);
  }

  /** Widen every school's slots to MAX_SLOTS (a school needs more than slotW; done at most once). */
  widenSlots(): void {
    const w = this.slotW;
    const slots = new Int32Array(this.n * MAX_SLOTS);
    for (let i = 0; i < this.n; i++) for (let k = 0; k < this.nSlots[i]; k++) slots[i * MAX_SLOTS + k] = this.slots[i * w + k];
    this.slots = slots;
    this.slotW = MAX_SLOTS;
  }

  /**
   * School i's days lost to fixed-term exclusion this step: its count times the days of one, as a 32-bit float (the
   * value a per-school array held; computed on demand, since the count is the only per-school input: 4 bytes a school).
   */
  daysLost(i: number): number {
    return Math.fround(this.fixedTerm[i] * this.p.world.daysPerFixedTerm);
  }

  /** Current academic year as a fraction (2007.0 = autumn 2007). */
  year(startYear: number): number {
    return startYear + this.step / this.spy;
  }

  /** Age of partnership p in years. */
  ageYears(p: number): number {
    return (this.step - this.parts.start[p]) / this.spy;
  }
}
