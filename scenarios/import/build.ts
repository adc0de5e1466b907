/**
 * Assemble a World (sim/world.ts) from joined real-school records.
 *
 *  - LAs: those with at least one kept secondary, ordered by LA code (numerically
 *    where the codes are numbers); schools grouped by LA (as world.ts requires,
 *    `laStart` delimiting each LA's range) and ordered by URN within their LA, so the
 *    world does not depend on the row order of the files.
 *  - Names, URNs and LA codes/names come from the schools file; x/y are Easting and
 *    Northing / 1000 (km on the British National Grid).
 *  - `laNeighbours`: the LA_NEIGHBOURS nearest other LAs by distance between LA
 *    centroids (the mean location of the LA's schools and primaries; ties broken
 *    by LA order), -1 where there are fewer LAs.
 *  - Primaries in the file feed their nearest secondary in the same LA (straight-line
 *    distance; a primary with no location is placed first, see impute.ts). Primaries
 *    in an LA without any kept secondary are left out (counted). An LA with no
 *    primaries in the file at all (e.g. a file cut down to secondaries) gets the
 *    generator's synthetic feeder groups: Poisson(`world.primariesPerSecondary`)
 *    feeders per secondary, of max(30, 230 exp(0.4 z)) pupils; the report counts
 *    those secondaries under `feeders.imputed`.
 *  - Everything else is filled by impute.ts. The result passes `checkWorld`.
 * Cost: O(schools log schools + primaries x secondaries-per-LA + LAs^2).
 */
import type { Params } from '../../sim/params.js';
import type { Rng } from '../../sim/rng.js';
import { allocWorld, checkWorld, feederCounts, LA_NEIGHBOURS, type World } from '../../sim/world.js';
import { drawPoint, imputeWorld, laGeometry, newKnown, type LaGeometry } from './impute.js';
import type { FieldCount } from './report.js';

/** One kept secondary with everything the files say about it (undefined = not said). */
export interface JoinedSchool {
  urn: number;
  name: string;
  laCode: string;
  /** km. */
  x?: number;
  y?: number;
  pupils?: number;
  fsm?: number;
  sen?: number;
  attendance?: number;
  /** On the model scale. */
  attainment?: number;
  /** Value added as a within-file z-score. */
  vaZ?: number;
  ofstedProgress?: 1 | 2 | 3 | 4;
  ofstedBehaviour?: 1 | 2 | 3 | 4;
  lastInspection?: number;
  staffDays?: number;
  keyPerson?: 0 | 1;
}

/** One primary from the schools file. */
export interface PrimaryInput {
  urn: number;
  laCode: string;
  x?: number;
  y?: number;
  pupils?: number;
}

/** What buildWorld returns besides the world. */
export interface BuildResult {
  world: World;
  fields: Record<string, FieldCount>;
  /** Primaries from the file in the world. */
  primariesKept: number;
  /** Primaries left out because their LA has no kept secondary. */
  primariesWithoutSecondary: number;
}

/** Order LA codes numerically when both are numbers, else as text. */
export function compareLaCodes(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? Number(a) : NaN;
  const nb = /^\d+$/.test(b) ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Build the world from the kept secondaries and primaries. `laNames` maps LA codes
 * to names. Throws a plain Error only if the assembled world fails checkWorld (a bug).
 */
export function buildWorld(secs: readonly JoinedSchool[], prims: readonly PrimaryInput[], laNames: ReadonlyMap<string, string>, p: Params, rng: Rng): BuildResult {
  const codes = [...new Set(secs.map((s) => s.laCode))].sort(compareLaCodes);
  const laIndex = new Map<string, number>(codes.map((c, i) => [c, i]));
  const nLa = codes.length;
  const order = [...secs].sort((a, b) => laIndex.get(a.laCode)! - laIndex.get(b.laCode)! || a.urn - b.urn);
  const n = order.length;
  const w = allocWorld(n, nLa, 0);

  for (let l = 0; l < nLa; l++) {
    w.laCode[l] = codes[l];
    w.laName[l] = laNames.get(codes[l]) ?? `LA ${codes[l]}`;
  }
  const k = newKnown(n);
  const perLa = new Int32Array(nLa);
  for (let i = 0; i < n; i++) {
    const s = order[i];
    const l = laIndex.get(s.laCode)!;
    w.la[i] = l;
    w.urn[i] = s.urn;
    w.name[i] = s.name;
    perLa[l]++;
    if (s.x !== undefined && s.y !== undefined) {
      k.x[i] = s.x;
      k.y[i] = s.y;
    }
    if (s.pupils !== undefined) k.pupils[i] = s.pupils;
    if (s.fsm !== undefined) k.fsm[i] = s.fsm;
    if (s.sen !== undefined) k.sen[i] = s.sen;
    if (s.attendance !== undefined) k.attendance[i] = s.attendance;
    if (s.attainment !== undefined) k.attainment[i] = s.attainment;
    if (s.vaZ !== undefined) k.vaZ[i] = s.vaZ;
    if (s.ofstedProgress !== undefined) k.ofstedProgress[i] = s.ofstedProgress;
    if (s.ofstedBehaviour !== undefined) k.ofstedBehaviour[i] = s.ofstedBehaviour;
    if (s.lastInspection !== undefined) k.lastInspection[i] = s.lastInspection;
    if (s.staffDays !== undefined) k.staffDays[i] = s.staffDays;
    if (s.keyPerson !== undefined) k.keyPerson[i] = s.keyPerson;
  }
  let start = 0;
  for (let l = 0; l < nLa; l++) {
    w.laStart[l] = start;
    start += perLa[l];
  }
  w.laStart[nLa] = n;

  // Primaries in LAs with a kept secondary, in (LA, URN) order.
  const keptPrims = prims.filter((q) => laIndex.has(q.laCode)).sort((a, b) => laIndex.get(a.laCode)! - laIndex.get(b.laCode)! || a.urn - b.urn);
  const primariesWithoutSecondary = prims.length - keptPrims.length;
  const np = keptPrims.length;

  // LA geometry from every known point.
  const gl = new Int32Array(n + np);
  const gx = new Float64Array(n + np);
  const gy = new Float64Array(n + np);
  for (let i = 0; i < n; i++) {
    gl[i] = w.la[i];
    gx[i] = k.x[i];
    gy[i] = k.y[i];
  }
  for (let j = 0; j < np; j++) {
    const q = keptPrims[j];
    gl[n + j] = laIndex.get(q.laCode)!;
    gx[n + j] = q.x ?? NaN;
    gy[n + j] = q.y ?? NaN;
  }
  const geo = laGeometry(nLa, gl, gx, gy, perLa, rng);

  const fields = imputeWorld(w, k, p, rng, geo);

  // Feeders: file primaries to their nearest same-LA secondary; synthetic ones where an LA has none.
  const laHasPrimaries = new Uint8Array(nLa);
  for (const q of keptPrims) laHasPrimaries[laIndex.get(q.laCode)!] = 1;
  const feedSec: number[] = [];
  const feedPupils: number[] = [];
  for (const q of keptPrims) {
    const l = laIndex.get(q.laCode)!;
    const [px, py] = drawPoint(geo, l, rng);
    const z = rng.normal();
    const x = q.x !== undefined && q.y !== undefined ? q.x : px;
    const y = q.x !== undefined && q.y !== undefined ? q.y : py;
    feedSec.push(nearestInLa(w, l, x, y));
    feedPupils.push(q.pupils !== undefined && q.pupils > 0 ? Math.round(q.pupils) : syntheticPrimaryPupils(z));
  }
  const feeders = { fromFile: 0, imputed: 0 };
  for (let i = 0; i < n; i++) {
    if (laHasPrimaries[w.la[i]]) {
      feeders.fromFile++;
      continue;
    }
    feeders.imputed++;
    const m = rng.poisson(p.world.primariesPerSecondary);
    for (let j = 0; j < m; j++) {
      feedSec.push(i);
      feedPupils.push(syntheticPrimaryPupils(rng.normal()));
    }
  }
  fields['feeders'] = feeders;
  w.nPrimary = feedSec.length;
  w.primarySecondary = Int32Array.from(feedSec);
  w.primaryPupils = Int32Array.from(feedPupils);
  w.feeders = feederCounts(n, w.primarySecondary);

  setNeighbours(w, geo);
  checkWorld(w);
  return { world: w, fields, primariesKept: np, primariesWithoutSecondary };
}

function syntheticPrimaryPupils(z: number): number {
  return Math.max(30, Math.round(230 * Math.exp(0.4 * z)));
}

/** The secondary of LA l nearest to (x, y); ties go to the lower index. */
function nearestInLa(w: World, l: number, x: number, y: number): number {
  let best = w.laStart[l];
  let bestD = Infinity;
  for (let i = w.laStart[l]; i < w.laStart[l + 1]; i++) {
    const d = (w.x[i] - x) ** 2 + (w.y[i] - y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** Each LA's LA_NEIGHBOURS nearest other LAs by centroid distance. */
function setNeighbours(w: World, geo: LaGeometry): void {
  const idx: number[] = [];
  for (let l = 0; l < w.nLa; l++) {
    idx.length = 0;
    for (let m = 0; m < w.nLa; m++) if (m !== l) idx.push(m);
    const d = (m: number): number => (geo.cx[m] - geo.cx[l]) ** 2 + (geo.cy[m] - geo.cy[l]) ** 2;
    idx.sort((a, b) => d(a) - d(b) || a - b);
    for (let j = 0; j < LA_NEIGHBOURS; j++) w.laNeighbours[l * LA_NEIGHBOURS + j] = j < idx.length ? idx[j] : -1;
  }
}
