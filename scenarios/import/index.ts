/**
 * Start the world from real schools: DfE "Get Information About Schools" (GIAS)
 * establishments, optionally joined by URN to the DfE KS4 performance tables and to
 * Ofsted inspection outcomes, or any other layout through a --columns map.
 *
 * `importWorld` reads the files (streamed; encoding detected), keeps the open
 * state-funded secondaries (agents) and primaries (feeders) of the chosen LAs,
 * joins the KS4 and Ofsted rows, converts what they say to the model's scale, fills
 * the gaps from the synthetic generator's distributions conditional on what is
 * known (impute.ts), assembles the World (build.ts) and returns it with a report of
 * every file (SHA-256), exclusion, skipped row and imputed value. Which source wins
 * when several give a value:
 *  - FSM: GIAS `PercentageFSM`, else the KS4 disadvantage share (PTFSMCLA /
 *    PTFSM6CLA1A; "ever 6" disadvantage runs above current FSM eligibility);
 *  - attainment and value added: the KS4 file, else the schools file (mapped);
 *  - progress grade: Ofsted `Achievement of pupils` (or its successors), else
 *    Ofsted `Overall effectiveness`, else the schools file's grade (GIAS
 *    `OfstedRating (name)`); behaviour grade: Ofsted, else the schools file (mapped);
 *  - last inspection: Ofsted `Inspection end date`, else GIAS `OfstedLastInsp`;
 *  - pupils: GIAS `NumberOfPupils`, else 5 x KS4 `TPUP` (five year groups of the
 *    size of the KS4 cohort; it misses any sixth form).
 * Errors are `InputError`s (the CLI exits with code 2): structural problems throw,
 * unusable rows and values are skipped and reported (see report.ts).
 */
import type { Params } from '../../sim/params.js';
import type { Rng } from '../../sim/rng.js';
import type { World } from '../../sim/world.js';
import { InputError } from '../../sim/errors.js';
import { encodingWarning, sniffFile } from './csv.js';
import { loadColumnsMap, type ColumnsMap } from './mapping.js';
import { readSchools, type DuplicateRows, type SchoolRecord, type SchoolsFile } from './gias.js';
import { readKs4, type ColumnStats, type Ks4File } from './ks4.js';
import { readOfsted, type OfstedFile } from './ofsted.js';
import { modelAttainmentSd, toModelScale, IMPUTED_FIELDS } from './impute.js';
import { buildWorld, compareLaCodes, type JoinedSchool, type PrimaryInput } from './build.js';
import { IssueLog, type ImportFileInfo, type ImportReport, type FieldCount } from './report.js';
import type { CellSink } from './mapping.js';

export * from './report.js';
export * from './csv.js';
export * from './mapping.js';
export * from './gias.js';
export * from './ks4.js';
export * from './ofsted.js';
export * from './impute.js';
export * from './build.js';

/** Where the real-school data comes from (the CLI's --schools-file, --ks4, --ofsted, --columns, --la). */
export interface ImportOptions {
  /** GIAS establishment list (or any schools file, with `columns`). */
  schoolsFile: string;
  /** KS4 performance tables, school level. */
  ks4?: string;
  /** Ofsted inspection outcomes. */
  ofsted?: string;
  /** YAML map of our fields to the files' columns. */
  columns?: string;
  /** LA codes (or names) to keep; all LAs when absent or empty. */
  las?: string[];
}

/** Fewest values a column needs before it can be standardised within its file. */
const MIN_TO_STANDARDISE = 3;

/**
 * Build a World from real school files. Draws every imputed value from `rng`, so a
 * given set of files, parameters and seed always gives the same world.
 * Throws `InputError` for unusable input (see the module comment).
 */
export async function importWorld(opts: ImportOptions, params: Params, rng: Rng): Promise<{ world: World; report: ImportReport }> {
  const log = new IssueLog();
  const map: ColumnsMap | undefined = opts.columns !== undefined ? await loadColumnsMap(opts.columns) : undefined;

  const schoolsSniff = await sniffFile(opts.schoolsFile);
  const schools = await readSchools(opts.schoolsFile, schoolsSniff, map?.sections.schools);
  const files: ImportFileInfo[] = [fileInfo('schools', opts.schoolsFile, schools.sniff, schools.rows, schools.resolved.format)];

  const selected = selectLas(opts.las, schools);
  const inLa = (code: string | undefined): boolean => selected === undefined || code === undefined || selected.has(code);

  // Exclusions and row skips of the schools file.
  const excluded: Record<string, number> = {};
  const bump = (key: string, by = 1): void => {
    if (by > 0) excluded[key] = (excluded[key] ?? 0) + by;
  };
  for (const [code, reasons] of schools.excludedByLa) {
    for (const [reason, count] of reasons) bump(inLa(code) ? reason : 'outside-la', count);
  }
  for (const s of schools.rowSkips) if (inLa(s.laCode)) log.skip(opts.schoolsFile, s.row, s.column, s.reason);
  const secs: SchoolRecord[] = [];
  const prims: SchoolRecord[] = [];
  for (const r of schools.records) {
    if (!inLa(r.laCode)) bump('outside-la');
    else if (r.category === 'secondary') secs.push(r);
    else prims.push(r);
  }
  if (secs.length === 0) {
    const where = selected ? `in LA ${[...selected].join(', ')}` : 'in the file';
    throw InputError.at(opts.schoolsFile, undefined, `no open state-funded secondary schools ${where}; nothing to simulate (left out: ${summarise(excluded)})`);
  }

  // KS4 and Ofsted.
  let ks4: Ks4File | undefined;
  if (opts.ks4 !== undefined) {
    const sn = await sniffFile(opts.ks4);
    ks4 = await readKs4(opts.ks4, sn, map?.sections.ks4);
    files.push(fileInfo('ks4', opts.ks4, sn, ks4.rows, ks4.resolved.format));
    bump('ks4:summary-row', ks4.summaryRows);
    for (const s of ks4.rowSkips) log.skip(opts.ks4, s.row, s.column, s.reason);
  }
  let ofsted: OfstedFile | undefined;
  if (opts.ofsted !== undefined) {
    const sn = await sniffFile(opts.ofsted);
    ofsted = await readOfsted(opts.ofsted, sn, map?.sections.ofsted);
    files.push(fileInfo('ofsted', opts.ofsted, sn, ofsted.rows, ofsted.resolved.format));
    for (const s of ofsted.rowSkips) log.skip(opts.ofsted, s.row, s.column, s.reason);
  }
  if (map) files.push({ role: 'columns', path: map.path, sha256: map.sha256, rows: map.entries, format: 'yaml', encoding: 'utf-8' });

  // Scales: attainment standardised within its file onto the model scale; VA as a z-score.
  let modelSd: number | undefined;
  const sdOf = (): number => (modelSd ??= modelAttainmentSd(params));
  const usable = (file: string, st: ColumnStats | undefined): ColumnStats | undefined => {
    if (st === undefined || st.n === 0) return undefined;
    // Every moment must be finite: one huge value would make the SD Infinity and squash every other school (issue 14, item 13).
    if (!Number.isFinite(st.mean) || !Number.isFinite(st.sd)) {
      log.skip(file, 0, st.column, `the values' mean or SD is not a finite number: cannot standardise within the file (all values of the column ignored, imputed)`);
      return undefined;
    }
    if (st.n < MIN_TO_STANDARDISE || !(st.sd > 0)) {
      log.skip(file, 0, st.column, `only ${st.n} value(s)${st.n > 1 ? ' with no spread' : ''}: cannot standardise within the file (all values of the column ignored, imputed)`);
      return undefined;
    }
    return st;
  };
  const ks4Att = ks4 ? usable(ks4.path, ks4.attainmentStats) : undefined;
  const ks4Va = ks4 ? usable(ks4.path, ks4.vaStats) : undefined;
  const sc = schools.resolved.cols;
  const schAttModel = sc.attainment?.unit === 'model';
  const schAtt = sc.attainment && !schAttModel ? usable(opts.schoolsFile, fileStats(schools.records, 'attainment', sc.attainment.header)) : undefined;
  const schVa = sc.va ? usable(opts.schoolsFile, fileStats(schools.records, 'va', sc.va.header)) : undefined;
  const ks4AttModel = ks4?.resolved.cols.attainment?.unit === 'model';

  // Join.
  const flush = (file: string, row: number, sink: CellSink): void => {
    for (const is of sink.issues) log.skip(file, row, is.column, is.reason);
    for (const col of sink.missing) log.suppress(file, col);
  };
  const joins = { ks4Matched: 0, ks4Unmatched: 0, ofstedMatched: 0, ofstedUnmatched: 0 };
  const joined: JoinedSchool[] = secs.map((s) => {
    flush(opts.schoolsFile, s.row, s.sink);
    const j: JoinedSchool = { urn: s.urn, name: s.name, laCode: s.laCode, x: s.x, y: s.y, pupils: s.pupils, fsm: s.fsm, sen: s.sen, attendance: s.attendance };
    if (s.attainment !== undefined) {
      if (schAttModel) j.attainment = s.attainment;
      else if (schAtt) j.attainment = toModelScale(s.attainment, schAtt.mean, schAtt.sd, sdOf());
    }
    if (s.va !== undefined && schVa) j.vaZ = (s.va - schVa.mean) / schVa.sd;
    j.ofstedProgress = s.ofstedProgress ?? s.ofstedOverall;
    j.ofstedBehaviour = s.ofstedBehaviour;
    j.lastInspection = s.inspectionDate;
    j.staffDays = s.staffDays;
    j.keyPerson = s.keyPerson;

    const k = ks4?.byUrn.get(s.urn);
    if (ks4) {
      if (k) joins.ks4Matched++;
      else joins.ks4Unmatched++;
    }
    if (k && ks4) {
      flush(ks4.path, k.row, k.sink);
      j.fsm ??= k.fsm;
      j.sen ??= k.sen;
      j.attendance ??= k.attendance;
      if (k.attainment !== undefined) {
        if (ks4AttModel) j.attainment = k.attainment;
        else if (ks4Att) j.attainment = toModelScale(k.attainment, ks4Att.mean, ks4Att.sd, sdOf());
      }
      if (k.va !== undefined && ks4Va) j.vaZ = (k.va - ks4Va.mean) / ks4Va.sd;
      if (j.pupils === undefined && k.tpup !== undefined && k.tpup > 0) j.pupils = 5 * k.tpup;
    }
    const o = ofsted?.byUrn.get(s.urn);
    if (ofsted) {
      if (o) joins.ofstedMatched++;
      else joins.ofstedUnmatched++;
    }
    if (o && ofsted) {
      flush(ofsted.path, o.row, o.sink);
      j.ofstedProgress = o.progress ?? o.overall ?? j.ofstedProgress;
      j.ofstedBehaviour = o.behaviour ?? j.ofstedBehaviour;
      j.lastInspection = o.date ?? j.lastInspection;
    }
    return j;
  });
  const primaries: PrimaryInput[] = prims.map((q) => {
    flush(opts.schoolsFile, q.row, q.sink);
    return { urn: q.urn, laCode: q.laCode, x: q.x, y: q.y, pupils: q.pupils };
  });

  const built = buildWorld(joined, primaries, schools.laNames, params, rng);
  bump('primary-without-secondary', built.primariesWithoutSecondary);

  const fields: Record<string, FieldCount> = {};
  for (const f of [...IMPUTED_FIELDS, 'feeders']) fields[f] = built.fields[f];
  const warnings: string[] = [];
  const duplicateRows: Record<string, number> = {};
  const sniffs: [string, typeof schoolsSniff][] = [[opts.schoolsFile, schoolsSniff], ...(ks4 ? [[ks4.path, ks4.sniff] as [string, typeof schoolsSniff]] : []), ...(ofsted ? [[ofsted.path, ofsted.sniff] as [string, typeof schoolsSniff]] : [])];
  for (const [f, sn] of sniffs) {
    const w = encodingWarning(f, sn);
    if (w) warnings.push(w);
  }
  const dupSources: [string, DuplicateRows][] = [[opts.schoolsFile, schools.duplicates], ...(ks4 ? [[ks4.path, ks4.duplicates] as [string, DuplicateRows]] : [])];
  for (const [f, d] of dupSources) {
    if (d.count === 0) continue;
    duplicateRows[f] = d.count;
    warnings.push(`${f}: ${d.count} exact repeat(s) of a row (same URN, every cell equal) dropped; the first is data row ${d.first!.row}, a repeat of data row ${d.first!.of}`);
  }
  const report: ImportReport = {
    files,
    kept: { secondaries: built.world.n, primaries: built.primariesKept, las: built.world.nLa },
    excluded,
    skippedRows: log.skippedRows,
    skippedCounts: log.skippedCounts,
    skippedTotal: Object.values(log.skippedCounts).reduce((a, b) => a + b, 0),
    duplicateRows,
    warnings,
    suppressed: log.suppressed(),
    fields,
    joins,
  };
  return { world: built.world, report };
}

function fileInfo(role: ImportFileInfo['role'], path: string, sn: { sha256: string; encoding: string }, rows: number, format: string): ImportFileInfo {
  return { role, path, sha256: sn.sha256, rows, format, encoding: sn.encoding };
}

/** Mean and SD of a raw column over the schools file's secondaries (every LA). */
function fileStats(records: readonly SchoolRecord[], field: 'attainment' | 'va', column: string): ColumnStats {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const r of records) {
    const v = r[field];
    if (r.category !== 'secondary' || v === undefined) continue;
    n++;
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
  }
  return { column, n, mean, sd: n > 1 ? Math.sqrt(m2 / (n - 1)) : 0 };
}

/**
 * Resolve --la values against the schools file: an LA code as written in the file,
 * or an LA name (case-insensitive). Unknown values are an InputError.
 */
function selectLas(las: readonly string[] | undefined, schools: SchoolsFile): Set<string> | undefined {
  const wanted = (las ?? []).map((s) => s.trim()).filter((s) => s !== '');
  if (wanted.length === 0) return undefined;
  const byName = new Map<string, string>();
  for (const [code, name] of schools.laNames) byName.set(name.toLowerCase(), code);
  const out = new Set<string>();
  for (const x of wanted) {
    if (schools.laNames.has(x)) out.add(x);
    else if (byName.has(x.toLowerCase())) out.add(byName.get(x.toLowerCase())!);
    else {
      const codes = [...schools.laNames.keys()].sort(compareLaCodes);
      const shown = codes
        .slice(0, 10)
        .map((c) => `${c} (${schools.laNames.get(c)})`)
        .join(', ');
      throw InputError.at(
        '--la',
        undefined,
        `unknown LA code '${x}': no establishment of ${schools.path} is in it; the file has ${codes.length} LA(s): ${shown}${codes.length > 10 ? ', ...' : ''}`,
      );
    }
  }
  return out;
}

function summarise(excluded: Record<string, number>): string {
  const parts = Object.entries(excluded).map(([k, v]) => `${v} ${k}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}
