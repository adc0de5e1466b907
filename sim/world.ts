/**
 * The world a run starts from: secondary schools, their feeder primaries and their
 * local authorities, as plain struct-of-arrays data (one typed array per field,
 * indexed by school). The synthetic generator (generate.ts) and the loader of real
 * DfE/Ofsted files fill the same structure; the model never cares which did.
 *
 * Schools are stored grouped by LA: LA `l` owns schools `laStart[l] .. laStart[l+1]-1`,
 * so a local candidate pool is a contiguous range and costs O(1) to sample.
 */

/** Ofsted grades: 1 outstanding, 2 good, 3 satisfactory, 4 inadequate. */
export type OfstedGrade = 1 | 2 | 3 | 4;

/** Neighbouring LAs kept per LA (grid neighbours), for cross-border candidates. */
export const LA_NEIGHBOURS = 4;

export interface World {
  /** Secondary schools. */
  n: number;
  /** Local authorities. */
  nLa: number;
  /** Feeder primary schools. */
  nPrimary: number;

  // --- local authorities
  laName: string[];
  laCode: string[];
  /** First school of each LA; length nLa + 1. */
  laStart: Int32Array;
  /** LA_NEIGHBOURS neighbour indices per LA (-1 where fewer). */
  laNeighbours: Int32Array;
  /** 1 where schools are satisfied with the LA's support for partnering (NAO [2.11]). */
  laSupported: Uint8Array;

  // --- secondary schools
  /** School names from GIAS; empty for a synthetic world, whose school i is `School i+1` (read them with schoolName). */
  name: string[];
  /** Unique reference numbers from GIAS; empty for a synthetic world, whose school i is 900000 + i (read them with schoolUrn). */
  urn: Int32Array;
  la: Int32Array;
  /** Location in km (British National Grid / 1000 for real schools). */
  x: Float32Array;
  y: Float32Array;
  pupils: Int32Array;
  /** Share of pupils eligible for free school meals. */
  fsm: Float32Array;
  /** Share of pupils with special educational needs. */
  sen: Float32Array;
  /** Attendance rate (1 - absence). */
  attendance: Float32Array;
  /** Attainment at 14 on the model scale (national school mean about 100). */
  attainment: Float32Array;
  /** Underlying school quality (standard units): what CVA and Ofsted see through noise. */
  quality: Float32Array;
  /** Underlying behaviour climate (standard units; higher is better). */
  behaviour: Float32Array;
  ofstedProgress: Uint8Array;
  ofstedBehaviour: Uint8Array;
  /** Year of the last inspection (fractional academic year). */
  lastInspection: Float32Array;
  /** Staff days a term the school can give to partnering. */
  staffDays: Float32Array;
  /** 1 where partnership work rests on a few key people. */
  keyPerson: Uint8Array;

  // --- primaries (feeder groups)
  /** Feeder primaries of each secondary (what the model reads: a transition partnership brings its coordinator's). */
  feeders: Uint16Array;
  /**
   * Per primary, the secondary it feeds and its pupils: kept by an imported world (real schools); empty in a generated
   * world, which keeps only the counts in `feeders` (no part of the model reads these: about 30 bytes a school).
   */
  primarySecondary: Int32Array;
  primaryPupils: Int32Array;
}

/** Allocate an empty world of the given size. */
/** School i's name (a synthetic world keeps no names: it would be a string a school for `School i+1`). */
export function schoolName(w: World, i: number): string {
  return w.name.length > 0 ? w.name[i] : `School ${i + 1}`;
}

/** School i's unique reference number (a synthetic world keeps none: 900000 + i, 4 bytes a school). */
export function schoolUrn(w: World, i: number): number {
  return w.urn.length > 0 ? w.urn[i] : 900000 + i;
}

/** A world of n schools with every per-school and per-LA array allocated (`named`: room for school names and URNs, filled by the caller; the per-primary arrays start empty). */
export function allocWorld(n: number, nLa: number, nPrimary: number, named = true): World {
  return {
    n,
    nLa,
    nPrimary,
    laName: new Array<string>(nLa).fill(''),
    laCode: new Array<string>(nLa).fill(''),
    laStart: new Int32Array(nLa + 1),
    laNeighbours: new Int32Array(nLa * LA_NEIGHBOURS).fill(-1),
    laSupported: new Uint8Array(nLa),
    name: named ? new Array<string>(n).fill('') : [],
    urn: new Int32Array(named ? n : 0),
    la: new Int32Array(n),
    x: new Float32Array(n),
    y: new Float32Array(n),
    pupils: new Int32Array(n),
    fsm: new Float32Array(n),
    sen: new Float32Array(n),
    attendance: new Float32Array(n),
    attainment: new Float32Array(n),
    quality: new Float32Array(n),
    behaviour: new Float32Array(n),
    ofstedProgress: new Uint8Array(n),
    ofstedBehaviour: new Uint8Array(n),
    lastInspection: new Float32Array(n),
    staffDays: new Float32Array(n),
    keyPerson: new Uint8Array(n),
    feeders: new Uint16Array(n),
    primarySecondary: new Int32Array(0),
    primaryPupils: new Int32Array(0),
  };
}

/** Feeder primaries per secondary from the secondary each primary feeds (an imported world's `feeders`). */
export function feederCounts(n: number, primarySecondary: Int32Array): Uint16Array {
  const f = new Uint16Array(n);
  for (let k = 0; k < primarySecondary.length; k++) {
    const s = primarySecondary[k];
    if (s >= 0 && s < n) f[s] = Math.min(65535, f[s] + 1);
  }
  return f;
}

/** Throws if the world's arrays disagree with its sizes or LA ranges (for loaders and tests). */
export function checkWorld(w: World): void {
  if (w.laStart[0] !== 0 || w.laStart[w.nLa] !== w.n) throw new Error('world: laStart must run from 0 to n');
  for (let l = 0; l < w.nLa; l++) {
    if (w.laStart[l + 1] < w.laStart[l]) throw new Error(`world: laStart not sorted at LA ${l}`);
    for (let i = w.laStart[l]; i < w.laStart[l + 1]; i++) {
      if (w.la[i] !== l) throw new Error(`world: school ${i} is not in LA ${l}'s range`);
    }
  }
  if (w.feeders.length !== w.n) throw new Error(`world: feeders must have one count a school (${w.n}), not ${w.feeders.length}`);
  let total = 0;
  for (let i = 0; i < w.n; i++) total += w.feeders[i];
  if (total !== w.nPrimary) throw new Error(`world: feeder counts sum to ${total}, not the ${w.nPrimary} primaries`);
  if (w.primarySecondary.length === 0) return;
  if (w.primarySecondary.length !== w.nPrimary) throw new Error(`world: ${w.primarySecondary.length} primaries' secondaries for ${w.nPrimary} primaries`);
  for (let p = 0; p < w.nPrimary; p++) {
    const s = w.primarySecondary[p];
    if (s < 0 || s >= w.n) throw new Error(`world: primary ${p} feeds no secondary`);
  }
  const counts = feederCounts(w.n, w.primarySecondary);
  for (let i = 0; i < w.n; i++) if (counts[i] !== w.feeders[i]) throw new Error(`world: school ${i} has ${w.feeders[i]} feeder primaries counted, but ${counts[i]} primaries feed it`);
}
