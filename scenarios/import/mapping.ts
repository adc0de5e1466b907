/**
 * Column layouts: which column of a file holds which of our fields, in which unit.
 *
 * Each file role (schools, ks4, ofsted) has a built-in layout with the published
 * header names of the DfE and Ofsted downloads (several candidates where the name
 * changed between years; the first one present wins; matching ignores case and
 * surrounding space). A `--columns map.yaml` file overrides any of them, field by
 * field, so any other layout can be read:
 *
 *     schools:                 # the --schools-file
 *       urn: School ID
 *       laCode: LA number
 *       fsm: { column: "FSM %", unit: percent }
 *     ks4:
 *       attainment: { column: Average score, unit: standardise }
 *     ofsted:
 *       inspectionDate: Date
 *
 * Validation is strict: an unknown section, an unknown field for a section, an
 * unknown unit, or a unit on a field that has none is an `InputError` naming the
 * map file and the entry; a mapped column missing from the data file's header is an
 * `InputError` when that file is opened.
 *
 * Units: shares (fsm, sen, attendance, absence) are `percent` (0-100, the DfE
 * default) or `fraction` (0-1); attainment is `standardise` (z-scored within the
 * file, then put on the model scale; the default) or `model` (already on the model
 * scale, national mean 100); value added is always standardised within the file;
 * coordinates (easting, northing) are `m` (British National Grid metres, the
 * default) or `km`.
 */
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { TextDecoder } from 'node:util';
import { hasOwn, parseYamlSafe } from '../yaml-safe.js';
import { InputError } from '../../sim/errors.js';
import { parseNumberCell, MISSING_MARKERS } from './csv.js';
import type { CellIssue } from './report.js';

/** The kinds of value a field holds, which decide how a cell is parsed. */
export type FieldKind = 'urn' | 'text' | 'share' | 'score' | 'va' | 'count' | 'coord' | 'grade' | 'date' | 'number' | 'flag';

/** Units a field of each kind accepts (the first is the default). */
export const UNITS: Record<FieldKind, readonly string[]> = {
  urn: [],
  text: [],
  share: ['percent', 'fraction'],
  score: ['standardise', 'model'],
  va: ['standardise'],
  count: [],
  coord: ['m', 'km'],
  grade: [],
  date: [],
  number: [],
  flag: [],
};

/** Every field the importer knows, with its kind and meaning (for docs and error messages). */
export const FIELDS = {
  urn: { kind: 'urn', doc: 'Unique reference number (joins the files)' },
  name: { kind: 'text', doc: 'School name' },
  laCode: { kind: 'text', doc: 'Local authority code (3 digits)' },
  laName: { kind: 'text', doc: 'Local authority name' },
  status: { kind: 'text', doc: 'Establishment status (Open, Closed, ...)' },
  phase: { kind: 'text', doc: 'Phase of education (Secondary, Primary, All-through, ...)' },
  typeGroup: { kind: 'text', doc: 'Establishment type group (Independent schools, Special schools, ...)' },
  type: { kind: 'text', doc: 'Type of establishment' },
  lowAge: { kind: 'count', doc: 'Statutory low age' },
  highAge: { kind: 'count', doc: 'Statutory high age' },
  rectype: { kind: 'text', doc: 'KS4 record type (school rows: SCH, 1 or 2)' },
  pupils: { kind: 'count', doc: 'Pupils on roll' },
  tpup: { kind: 'count', doc: 'Pupils at the end of KS4' },
  fsm: { kind: 'share', doc: 'Share of pupils eligible for free school meals (or disadvantaged)' },
  sen: { kind: 'share', doc: 'Share of pupils with special educational needs' },
  attendance: { kind: 'share', doc: 'Attendance rate' },
  absence: { kind: 'share', doc: 'Absence rate (attendance = 1 - absence)' },
  attainment: { kind: 'score', doc: 'Attainment (e.g. % 5+ A*-C incl. English and maths, Attainment 8)' },
  va: { kind: 'va', doc: 'Value added (CVA, best-8 VA, Progress 8)' },
  ofstedOverall: { kind: 'grade', doc: 'Ofsted overall effectiveness (1-4 or words)' },
  ofstedProgress: { kind: 'grade', doc: 'Ofsted grade for achievement / outcomes of pupils' },
  ofstedBehaviour: { kind: 'grade', doc: 'Ofsted grade for behaviour (and safety) of pupils' },
  inspectionDate: { kind: 'date', doc: 'Date of the (end of the) last inspection' },
  easting: { kind: 'coord', doc: 'Easting (British National Grid)' },
  northing: { kind: 'coord', doc: 'Northing (British National Grid)' },
  staffDays: { kind: 'number', doc: 'Staff days a term available for partnering' },
  keyPerson: { kind: 'flag', doc: '1 where partnership work rests on a few key people' },
} as const satisfies Record<string, { kind: FieldKind; doc: string }>;

/** One of our field names. */
export type Field = keyof typeof FIELDS;

/** The file roles a map can describe. */
export type DataRole = 'schools' | 'ks4' | 'ofsted';

/** Fields each role may read, and the ones it must have. */
export const ROLE_FIELDS: Record<DataRole, { allowed: readonly Field[]; required: readonly Field[] }> = {
  schools: {
    allowed: [
      'urn', 'name', 'laCode', 'laName', 'status', 'phase', 'typeGroup', 'type', 'lowAge', 'highAge', 'pupils', 'fsm', 'sen',
      'attendance', 'absence', 'attainment', 'va', 'ofstedOverall', 'ofstedProgress', 'ofstedBehaviour', 'inspectionDate',
      'easting', 'northing', 'staffDays', 'keyPerson',
    ],
    required: ['urn', 'laCode'],
  },
  ks4: { allowed: ['urn', 'name', 'laCode', 'rectype', 'tpup', 'fsm', 'sen', 'attendance', 'absence', 'attainment', 'va'], required: ['urn'] },
  ofsted: { allowed: ['urn', 'name', 'laCode', 'inspectionDate', 'ofstedOverall', 'ofstedProgress', 'ofstedBehaviour'], required: ['urn'] },
};

/** Where a field is read from: candidate header names (first present wins) and the unit. */
export interface ColumnSpec {
  columns: readonly string[];
  unit?: string;
}

/** A layout: field -> column spec. */
export type Layout = Partial<Record<Field, ColumnSpec>>;

/** Published header names (checked against the DfE/Ofsted downloads; see docs/import.md). */
export const BUILTIN: Record<DataRole, { format: string; layout: Layout }> = {
  schools: {
    format: 'gias',
    layout: {
      urn: { columns: ['URN'] },
      laCode: { columns: ['LA (code)'] },
      laName: { columns: ['LA (name)'] },
      name: { columns: ['EstablishmentName'] },
      type: { columns: ['TypeOfEstablishment (name)'] },
      typeGroup: { columns: ['EstablishmentTypeGroup (name)'] },
      status: { columns: ['EstablishmentStatus (name)'] },
      phase: { columns: ['PhaseOfEducation (name)'] },
      lowAge: { columns: ['StatutoryLowAge'] },
      highAge: { columns: ['StatutoryHighAge'] },
      pupils: { columns: ['NumberOfPupils'] },
      fsm: { columns: ['PercentageFSM'], unit: 'percent' },
      easting: { columns: ['Easting'], unit: 'm' },
      northing: { columns: ['Northing'], unit: 'm' },
      ofstedOverall: { columns: ['OfstedRating (name)'] },
      inspectionDate: { columns: ['OfstedLastInsp'] },
    },
  },
  ks4: {
    format: 'ks4',
    layout: {
      urn: { columns: ['URN'] },
      laCode: { columns: ['LEA'] },
      name: { columns: ['SCHNAME'] },
      rectype: { columns: ['RECTYPE'] },
      tpup: { columns: ['TPUP'] },
      fsm: { columns: ['PTFSMCLA', 'PTFSM6CLA1A'], unit: 'percent' },
      attainment: { columns: ['PTAC5EM_PTQ', 'PTAC5EM', 'ATT8SCR'], unit: 'standardise' },
      va: { columns: ['B8VAMEA_PTQ', 'P8MEA'], unit: 'standardise' },
    },
  },
  ofsted: {
    format: 'ofsted',
    layout: {
      urn: { columns: ['URN'] },
      name: { columns: ['School name'] },
      inspectionDate: { columns: ['Inspection end date'] },
      ofstedOverall: { columns: ['Overall effectiveness'] },
      // The judgement on pupils' progress was renamed with each inspection framework.
      ofstedProgress: { columns: ['Achievement of pupils', 'Outcomes for pupils', 'Quality of education'] },
      ofstedBehaviour: { columns: ['Behaviour and safety of pupils', 'Personal development, behaviour and welfare', 'Behaviour and attitudes'] },
    },
  },
};

/** A parsed, validated --columns map. */
export interface ColumnsMap {
  path: string;
  sha256: string;
  /** Number of field mappings. */
  entries: number;
  sections: Partial<Record<DataRole, Layout>>;
}

/**
 * Read and validate a --columns YAML map (see the module comment for the syntax).
 * Throws an `InputError` naming the file and the entry for anything unknown.
 */
export async function loadColumnsMap(file: string): Promise<ColumnsMap> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw InputError.at(file, undefined, `cannot read the columns map (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw InputError.at(file, undefined, 'unknown encoding: the columns map must be UTF-8 text');
  }
  if (text.trim() === '') throw InputError.at(file, undefined, 'the columns map is empty');
  const data: unknown = parseYamlSafe(text, file);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw InputError.at(file, undefined, 'expected a mapping with sections schools:, ks4: and/or ofsted:');
  }
  const sections: Partial<Record<DataRole, Layout>> = {};
  let entries = 0;
  for (const [sec, body] of Object.entries(data as Record<string, unknown>)) {
    if (!hasOwn(ROLE_FIELDS, sec)) {
      const hint = hasOwn(FIELDS, sec) ? ` (put field mappings under a section, e.g. "schools:")` : '';
      throw InputError.at(file, sec, `unknown section '${sec}'; expected schools, ks4 or ofsted${hint}`);
    }
    const role = sec as DataRole;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw InputError.at(file, sec, 'expected a mapping of our field names to column names');
    }
    const layout: Layout = {};
    const allowed = ROLE_FIELDS[role].allowed as readonly string[];
    for (const [fieldName, spec] of Object.entries(body as Record<string, unknown>)) {
      const at = `${sec}.${fieldName}`;
      if (!allowed.includes(fieldName)) {
        const known = hasOwn(FIELDS, fieldName) ? `field '${fieldName}' is not read from the ${role} file` : `unknown field '${fieldName}'`;
        throw InputError.at(file, at, `${known}; fields for ${role}: ${allowed.join(', ')}`);
      }
      const field = fieldName as Field;
      const kind = FIELDS[field].kind;
      let column: unknown;
      let unit: unknown;
      if (typeof spec === 'string' || typeof spec === 'number') {
        column = String(spec);
      } else if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) {
        for (const k of Object.keys(spec)) {
          if (k !== 'column' && k !== 'unit') throw InputError.at(file, `${at}.${k}`, `unknown key '${k}'; expected column and unit`);
        }
        column = (spec as Record<string, unknown>)['column'];
        unit = (spec as Record<string, unknown>)['unit'];
      } else {
        throw InputError.at(file, at, 'expected a column name, or { column: NAME, unit: UNIT }');
      }
      if (typeof column !== 'string' || column.trim() === '') throw InputError.at(file, at, 'expected a non-empty column name');
      const units = UNITS[kind];
      if (unit !== undefined) {
        if (typeof unit !== 'string' || !units.includes(unit)) {
          const expected = units.length > 0 ? `expected one of ${units.join(', ')}` : `field '${fieldName}' takes no unit`;
          throw InputError.at(file, `${at}.unit`, `unknown unit '${String(unit)}'; ${expected}`);
        }
      }
      layout[field] = { columns: [column.trim()], unit: (unit as string | undefined) ?? units[0] };
      entries++;
    }
    sections[role] = layout;
  }
  return { path: file, sha256, entries, sections };
}

/** A field located in a file's header. */
export interface Located {
  field: Field;
  index: number;
  header: string;
  unit: string | undefined;
}

/** A layout resolved against a header: field -> column index. */
export interface Resolved {
  format: string;
  cols: Partial<Record<Field, Located>>;
}

/**
 * Resolve a role's layout against a file header: the built-in layout overridden
 * field by field by the map's section. Throws an `InputError` for a missing
 * required column or a mapped column absent from the header.
 */
export function resolveLayout(file: string, role: DataRole, header: readonly string[], mapped?: Layout): Resolved {
  const norm = (s: string): string => s.trim().toLowerCase();
  const where = new Map<string, number>();
  header.forEach((h, i) => {
    const k = norm(h);
    if (!where.has(k)) where.set(k, i);
  });
  const builtin = BUILTIN[role];
  const cols: Partial<Record<Field, Located>> = {};
  const layout: Layout = { ...builtin.layout, ...(mapped ?? {}) };
  for (const [f, spec] of Object.entries(layout) as [Field, ColumnSpec][]) {
    const isMapped = mapped !== undefined && hasOwn(mapped, f);
    let found: Located | undefined;
    for (const c of spec.columns) {
      const i = where.get(norm(c));
      if (i !== undefined) {
        found = { field: f, index: i, header: header[i], unit: spec.unit ?? UNITS[FIELDS[f].kind][0] };
        break;
      }
    }
    if (found) cols[f] = found;
    else if (isMapped) {
      throw InputError.at(file, 'header row', `column '${spec.columns[0]}' (mapped to ${f} in the columns map) is not in the file; its columns are: ${preview(header)}`);
    }
  }
  for (const f of ROLE_FIELDS[role].required) {
    if (cols[f] === undefined) {
      const spec = layout[f];
      const name = spec ? spec.columns.join("' or '") : f;
      throw InputError.at(
        file,
        `header row, column ${spec?.columns[0] ?? f}`,
        `missing required column '${name}' (our field ${f}); this does not look like a ${describe(role)} file. Map its columns with --columns (see docs/import.md); its columns are: ${preview(header)}`,
      );
    }
  }
  const usedMap = mapped !== undefined && Object.keys(mapped).length > 0;
  return { format: usedMap ? 'mapped' : builtin.format, cols };
}

function describe(role: DataRole): string {
  return role === 'schools' ? 'GIAS establishment' : role === 'ks4' ? 'KS4 performance tables' : 'Ofsted inspection outcomes';
}

function preview(header: readonly string[]): string {
  const shown = header.slice(0, 12).map((h) => `'${h}'`).join(', ');
  return header.length > 12 ? `${shown}, ... (${header.length} in all)` : shown;
}

// --- cell readers: each returns undefined for a missing value, and records why.

/** Collects what happened to the cells of one row. */
export interface CellSink {
  issues: CellIssue[];
  /** Columns whose cell held a missing-value marker. */
  missing: string[];
}

/** A fresh, empty sink. */
export function newSink(): CellSink {
  return { issues: [], missing: [] };
}

/** Raw cell text of a located field ('' if the row is short or the field unmapped). */
export function cell(cells: readonly string[], loc: Located | undefined): string {
  if (!loc) return '';
  return (cells[loc.index] ?? '').trim();
}

/** Text value, undefined when blank. */
export function readText(cells: readonly string[], loc: Located | undefined): string | undefined {
  const t = cell(cells, loc);
  return t === '' ? undefined : t;
}

/** URN: a positive integer below 2^31. */
export function readUrn(cells: readonly string[], loc: Located): { urn?: number; problem?: string } {
  const t = cell(cells, loc);
  if (t === '') return { problem: 'missing URN' };
  if (!/^\d+(\.0*)?$/.test(t)) return { problem: `unparseable URN '${t}'` };
  const v = Number(t);
  if (!Number.isSafeInteger(Math.floor(v)) || v <= 0 || v >= 2 ** 31) return { problem: `URN out of range '${t}'` };
  return { urn: Math.floor(v) };
}

/** A numeric field in our units: shares as fractions, coordinates in km, scores raw. */
export function readNumber(cells: readonly string[], loc: Located | undefined, sink: CellSink): number | undefined {
  if (!loc) return undefined;
  const c = parseNumberCell(cells[loc.index]);
  if (c.kind === 'missing') {
    sink.missing.push(loc.header);
    return undefined;
  }
  if (c.kind === 'bad') {
    sink.issues.push({ column: loc.header, reason: `unparseable number '${c.text}' (value ignored, imputed)` });
    return undefined;
  }
  let v = c.value;
  const kind = FIELDS[loc.field].kind;
  const bad = (why: string): undefined => {
    sink.issues.push({ column: loc.header, reason: `${why} '${(cells[loc.index] ?? '').trim()}' (value ignored, imputed)` });
    return undefined;
  };
  if (kind === 'share') {
    if (loc.unit === 'percent') {
      if (v < 0 || v > 100) return bad('percentage out of range 0-100');
      v /= 100;
    } else if (v < 0 || v > 1) return bad('fraction out of range 0-1');
    return v;
  }
  if (kind === 'coord') {
    if (v < 0) return bad('negative coordinate');
    if (loc.unit === 'm') v /= 1000;
  } else if (kind === 'count' || kind === 'number') {
    if (v < 0) return bad('negative value');
  }
  const [lo, hi] = valueRange(loc);
  if (v < lo || v > hi) return bad(`value out of range ${lo}-${hi}${kind === 'coord' ? ' km' : ''}`);
  return v;
}

/**
 * The plausible range of a field's values (after unit conversion; issue 14, item 13):
 * anything outside is a typo or a corrupt cell, and left to imputation rather than
 * allowed to swamp a file's mean and SD. DfE columns named PT... are percentages.
 */
export function valueRange(loc: Pick<Located, 'field' | 'header' | 'unit'>): [number, number] {
  switch (loc.field) {
    case 'lowAge':
    case 'highAge':
      return [0, 25];
    case 'pupils':
      return [0, 20_000];
    case 'tpup':
      return [0, 5_000];
    case 'easting':
      return [0, 800];
    case 'northing':
      return [0, 1_400];
    case 'staffDays':
      return [0, 1_000];
    case 'attainment':
      if (/^PT/i.test(loc.header)) return [0, 100];
      return loc.unit === 'model' ? [0, 1_000] : [0, 2_000];
    case 'va':
      // Progress 8 sits near 0, CVA and best-8 VA near 1000.
      return [-2_000, 2_000];
    default:
      return [-1e9, 1e9];
  }
}

const GRADE_WORDS: Record<string, 1 | 2 | 3 | 4> = {
  outstanding: 1,
  good: 2,
  satisfactory: 3,
  'requires improvement': 3,
  inadequate: 4,
  'serious weaknesses': 4,
  'special measures': 4,
};
/** Texts that mean "no judgement" rather than a bad value. */
const NO_GRADE = new Set(['9', '0', 'insufficient evidence', 'does not apply', 'not judged', 'not applicable', 'no judgement', 'not inspected']);

/** An Ofsted grade 1-4 from a digit or the published words; undefined when absent. */
export function readGrade(cells: readonly string[], loc: Located | undefined, sink: CellSink): 1 | 2 | 3 | 4 | undefined {
  if (!loc) return undefined;
  const t = cell(cells, loc);
  const k = t.toLowerCase();
  if (MISSING_MARKERS.has(t.toUpperCase()) || NO_GRADE.has(k)) {
    sink.missing.push(loc.header);
    return undefined;
  }
  if (/^[1-4](\.0*)?$/.test(k)) return Number(k[0]) as 1 | 2 | 3 | 4;
  const g = hasOwn(GRADE_WORDS, k) ? GRADE_WORDS[k] : undefined;
  if (g !== undefined) return g;
  sink.issues.push({ column: loc.header, reason: `unknown Ofsted grade '${t}' (expected 1-4 or Outstanding/Good/Satisfactory/Requires improvement/Inadequate/Serious Weaknesses/Special Measures; value ignored)` });
  return undefined;
}

/**
 * A date (dd/mm/yyyy, dd-mm-yyyy, yyyy-mm-dd, optionally followed by a time) as a
 * fractional academic year: 1 September of year Y is Y.0, so 15/03/2008 is 2007.54.
 */
export function readDate(cells: readonly string[], loc: Located | undefined, sink: CellSink): number | undefined {
  if (!loc) return undefined;
  const t = cell(cells, loc);
  if (MISSING_MARKERS.has(t.toUpperCase())) {
    sink.missing.push(loc.header);
    return undefined;
  }
  const v = parseDateText(t);
  if (v === undefined) sink.issues.push({ column: loc.header, reason: `unparseable date '${t}' (expected dd/mm/yyyy; value ignored)` });
  return v;
}

/** Parse a date text into a fractional academic year (undefined if not a valid date). */
export function parseDateText(t: string): number | undefined {
  let d: number;
  let m: number;
  let y: number;
  let r = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T].*)?$/.exec(t);
  if (r) {
    d = Number(r[1]);
    m = Number(r[2]);
    y = Number(r[3]);
  } else {
    r = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$/.exec(t);
    if (!r) return undefined;
    y = Number(r[1]);
    m = Number(r[2]);
    d = Number(r[3]);
  }
  if (m < 1 || m > 12 || d < 1 || y < 1900 || y > 2200) return undefined;
  const ms = Date.UTC(y, m - 1, d);
  if (new Date(ms).getUTCDate() !== d) return undefined; // 31/02 and the like
  const start = m >= 9 ? y : y - 1;
  const a = Date.UTC(start, 8, 1);
  const b = Date.UTC(start + 1, 8, 1);
  return start + (ms - a) / (b - a);
}

/** A yes/no flag: 1/0, yes/no, y/n, true/false. */
export function readFlag(cells: readonly string[], loc: Located | undefined, sink: CellSink): 0 | 1 | undefined {
  if (!loc) return undefined;
  const t = cell(cells, loc).toLowerCase();
  if (MISSING_MARKERS.has(t.toUpperCase())) {
    sink.missing.push(loc.header);
    return undefined;
  }
  if (['1', 'yes', 'y', 'true'].includes(t)) return 1;
  if (['0', 'no', 'n', 'false'].includes(t)) return 0;
  sink.issues.push({ column: loc.header, reason: `unparseable flag '${t}' (expected 1/0 or yes/no; value ignored)` });
  return undefined;
}
