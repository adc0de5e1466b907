/**
 * Reader for the DfE "Get Information About Schools" (GIAS) establishment list
 * (`edubasealldataYYYYMMDD.csv`: Windows-1252, every field quoted, ~130 columns,
 * ~50,000 establishments of every kind), or any schools file through --columns.
 *
 * Which establishments are kept (see docs/import.md):
 *  - agents: state-funded secondaries, i.e. phase Secondary or All-through, status
 *    Open or "Open, but proposed to close";
 *  - feeders: open state-funded Primary, Middle deemed primary and Middle deemed
 *    secondary schools (middle schools feed the upper schools);
 *  - left out, counted by reason: closed, proposed (to open), independent
 *    (`EstablishmentTypeGroup (name)` = Independent schools), special (type group
 *    Special schools, or a type whose name says special), alternative-provision
 *    (pupil referral units and AP academies), other-type (colleges, universities,
 *    Welsh schools, other types, online providers, children's centres), other-phase
 *    (nursery, 16 plus, ...), other-status; and outside-la when --la is given.
 * Where the phase is blank or "Not applicable", the statutory ages decide (low age
 * 10+ and high age 15+ is a secondary; high age 13 or less a primary). A schools file
 * without status, type or phase columns (a custom layout) is taken to list open
 * state-funded secondaries only.
 *
 * Rows that cannot be used (no or unparseable URN, no LA code, a field count that
 * differs from the header's, which usually means an unquoted comma shifted the
 * columns) are skipped and reported; a duplicate URN is an `InputError`, as the
 * joins by URN would be ambiguous. Values are parsed here but their cell problems are
 * only reported for establishments that are kept (so a national file filtered to one
 * LA does not report problems in other LAs). Streamed: O(rows) time, memory
 * O(kept candidates).
 */
import { createHash } from 'node:crypto';
import { InputError } from '../../sim/errors.js';
import { openCsv, type Sniff } from './csv.js';
import {
  newSink,
  readDate,
  readFlag,
  readGrade,
  readNumber,
  readText,
  readUrn,
  resolveLayout,
  type CellSink,
  type Layout,
  type Resolved,
} from './mapping.js';

/** Reasons an establishment is left out (outside-la is decided later, from --la). */
export type Exclusion = 'closed' | 'proposed' | 'independent' | 'special' | 'alternative-provision' | 'other-type' | 'other-phase' | 'other-status';

/** What an establishment becomes in the world. */
export type Category = 'secondary' | 'primary';

/** One kept candidate establishment (secondary or primary, any LA), with its values in our units. */
export interface SchoolRecord {
  /** 1-based data row. */
  row: number;
  urn: number;
  name: string;
  laCode: string;
  category: Category;
  pupils?: number;
  /** Share (0-1). */
  fsm?: number;
  sen?: number;
  attendance?: number;
  /** Location in km (British National Grid / 1000). */
  x?: number;
  y?: number;
  /** Raw attainment and value added (file units; standardised later). */
  attainment?: number;
  va?: number;
  ofstedOverall?: 1 | 2 | 3 | 4;
  ofstedProgress?: 1 | 2 | 3 | 4;
  ofstedBehaviour?: 1 | 2 | 3 | 4;
  /** Fractional academic year. */
  inspectionDate?: number;
  staffDays?: number;
  keyPerson?: 0 | 1;
  sink: CellSink;
}

/** A row dropped while reading, with the LA it would have belonged to if known. */
export interface RowSkip {
  row: number;
  column: string;
  reason: string;
  laCode?: string;
}

/** Everything read from the schools file. */
export interface SchoolsFile {
  path: string;
  sniff: Sniff;
  rows: number;
  resolved: Resolved;
  /** Secondary and primary candidates in every LA, in file order. */
  records: SchoolRecord[];
  /** Left-out establishments: LA code -> reason -> count. */
  excludedByLa: Map<string, Map<Exclusion, number>>;
  /** LA code -> LA name (first seen), for every LA in the file. */
  laNames: Map<string, string>;
  rowSkips: RowSkip[];
  /** Exact repeats of an earlier row (same URN, every cell equal), dropped: how many, and the first. */
  duplicates: DuplicateRows;
}

/** Exact repeats of rows dropped while reading a file. */
export interface DuplicateRows {
  count: number;
  /** The first repeat: its data row and the data row it repeats. */
  first?: { row: number; of: number };
}

/** A digest of a row's cells, to tell an exact repeat from a conflicting one. */
export function rowDigest(cells: readonly string[]): string {
  return createHash('sha1').update(cells.map((c) => c.trim()).join('\u0000')).digest('base64');
}

const OTHER_TYPE_GROUPS = new Set(['colleges', 'universities', 'welsh schools', 'other types', 'online provider', "children's centres", 'childrens centres']);
const SECONDARY_PHASES = new Set(['secondary', 'all-through', 'all through']);
const PRIMARY_PHASES = new Set(['primary', 'middle deemed primary', 'middle deemed secondary']);

/** Classify one establishment from its GIAS descriptors (undefined = column absent). */
export function classify(
  status: string | undefined,
  typeGroup: string | undefined,
  type: string | undefined,
  phase: string | undefined,
  lowAge: number | undefined,
  highAge: number | undefined,
  has: { status: boolean; phase: boolean },
): Category | Exclusion {
  if (has.status) {
    const s = (status ?? '').toLowerCase();
    if (s === 'closed') return 'closed';
    if (s === 'proposed to open') return 'proposed';
    if (s !== 'open' && s !== 'open, but proposed to close') return 'other-status';
  }
  const g = (typeGroup ?? '').toLowerCase();
  const t = (type ?? '').toLowerCase();
  if (g === 'independent schools') return 'independent';
  if (g === 'special schools' || /\bspecial\b/.test(t)) return 'special';
  if (t.includes('pupil referral unit') || t.includes('alternative provision')) return 'alternative-provision';
  if (OTHER_TYPE_GROUPS.has(g)) return 'other-type';
  const ph = (phase ?? '').toLowerCase();
  if (SECONDARY_PHASES.has(ph)) return 'secondary';
  if (PRIMARY_PHASES.has(ph)) return 'primary';
  if (ph === '' || ph === 'not applicable') {
    if (lowAge !== undefined && highAge !== undefined) {
      if (lowAge >= 10 && highAge >= 15) return 'secondary';
      if (highAge <= 13) return 'primary';
      return 'other-phase';
    }
    if (!has.phase) return 'secondary';
  }
  return 'other-phase';
}

/**
 * Read a schools file (GIAS or mapped). Throws an `InputError` for a missing
 * required column, a file with no data rows, or a duplicate URN.
 */
export async function readSchools(file: string, sniff: Sniff, mapped?: Layout): Promise<SchoolsFile> {
  const csv = await openCsv(file, sniff.encoding);
  let resolved: Resolved;
  try {
    resolved = resolveLayout(file, 'schools', csv.header, mapped);
  } catch (e) {
    csv.close();
    throw e;
  }
  const c = resolved.cols;
  const urnCol = c.urn!;
  const laCol = c.laCode!;
  const has = { status: c.status !== undefined, phase: c.phase !== undefined };
  const nHeader = csv.header.length;

  const records: SchoolRecord[] = [];
  const excludedByLa = new Map<string, Map<Exclusion, number>>();
  const laNames = new Map<string, string>();
  const rowSkips: RowSkip[] = [];
  const seen = new Map<number, { row: number; digest: string }>();
  const duplicates: DuplicateRows = { count: 0 };
  let rows = 0;

  for await (const rec of csv.records) {
    rows = rec.row;
    const cells = rec.cells;
    const laCode = readText(cells, laCol);
    if (cells.length !== nHeader) {
      rowSkips.push({
        row: rec.row,
        column: '(whole row)',
        reason: `row skipped: ${cells.length} fields where the header has ${nHeader} (an unquoted comma or quote?) at line ${rec.line}`,
        laCode,
      });
      continue;
    }
    const u = readUrn(cells, urnCol);
    if (u.urn === undefined) {
      rowSkips.push({ row: rec.row, column: urnCol.header, reason: `row skipped: ${u.problem}`, laCode });
      continue;
    }
    const urn = u.urn;
    const first = seen.get(urn);
    const digest = rowDigest(cells);
    if (first !== undefined) {
      // Real DfE extracts repeat rows: an exact repeat is dropped (and reported), a conflicting one is an error.
      if (first.digest === digest) {
        duplicates.count++;
        duplicates.first ??= { row: rec.row, of: first.row };
        continue;
      }
      throw InputError.at(file, `data row ${rec.row} (line ${rec.line}), column ${urnCol.header}`, `duplicate URN ${urn} with different values (first seen at data row ${first.row}); each establishment must appear once`);
    }
    seen.set(urn, { row: rec.row, digest });
    if (laCode === undefined) {
      rowSkips.push({ row: rec.row, column: laCol.header, reason: 'row skipped: missing LA code' });
      continue;
    }
    if (!laNames.has(laCode)) laNames.set(laCode, readText(cells, c.laName) ?? `LA ${laCode}`);

    const sink = newSink();
    const lowAge = readNumber(cells, c.lowAge, sink);
    const highAge = readNumber(cells, c.highAge, sink);
    const cat = classify(readText(cells, c.status), readText(cells, c.typeGroup), readText(cells, c.type), readText(cells, c.phase), lowAge, highAge, has);
    if (cat !== 'secondary' && cat !== 'primary') {
      let m = excludedByLa.get(laCode);
      if (!m) excludedByLa.set(laCode, (m = new Map()));
      m.set(cat, (m.get(cat) ?? 0) + 1);
      continue;
    }
    const r: SchoolRecord = {
      row: rec.row,
      urn,
      name: readText(cells, c.name) ?? `URN ${urn}`,
      laCode,
      category: cat,
      sink,
    };
    r.pupils = readNumber(cells, c.pupils, sink);
    const e = readNumber(cells, c.easting, sink);
    const n = readNumber(cells, c.northing, sink);
    // GIAS writes 0/0 (or leaves blank) where it has no grid reference.
    if (e !== undefined && n !== undefined && !(e === 0 && n === 0)) {
      r.x = e;
      r.y = n;
    } else if (e === 0 && n === 0) {
      // Counted like a blank: GIAS's "no grid reference".
      sink.missing.push(c.easting!.header, c.northing!.header);
    }
    if (cat === 'secondary') {
      r.fsm = readNumber(cells, c.fsm, sink);
      r.sen = readNumber(cells, c.sen, sink);
      const att = readNumber(cells, c.attendance, sink);
      const abs = readNumber(cells, c.absence, sink);
      r.attendance = att ?? (abs !== undefined ? 1 - abs : undefined);
      r.attainment = readNumber(cells, c.attainment, sink);
      r.va = readNumber(cells, c.va, sink);
      r.ofstedOverall = readGrade(cells, c.ofstedOverall, sink);
      r.ofstedProgress = readGrade(cells, c.ofstedProgress, sink);
      r.ofstedBehaviour = readGrade(cells, c.ofstedBehaviour, sink);
      r.inspectionDate = readDate(cells, c.inspectionDate, sink);
      r.staffDays = readNumber(cells, c.staffDays, sink);
      r.keyPerson = readFlag(cells, c.keyPerson, sink);
    }
    records.push(r);
  }
  if (rows === 0) throw InputError.at(file, undefined, 'the file has a header but no data rows');
  return { path: file, sniff, rows, resolved, records, excludedByLa, laNames, rowSkips, duplicates };
}
