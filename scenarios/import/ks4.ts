/**
 * Reader for the DfE Key Stage 4 performance tables, school-level CSV
 * (`england_ks4final.csv` and its yearly predecessors), or a mapped equivalent.
 *
 * One row per school has `RECTYPE` SCH (or 1 mainstream, 2 special, as the files
 * number them); LA and national summary rows (other RECTYPEs) are skipped and
 * counted. Columns read: `URN`, `LEA`, `SCHNAME`, `TPUP`, disadvantage
 * (`PTFSMCLA`, later `PTFSM6CLA1A`, a percentage), attainment (`PTAC5EM_PTQ` = % of
 * pupils with 5+ A*-C GCSEs including English and maths, 2008-2015; else
 * `ATT8SCR`, Attainment 8) and value added (`B8VAMEA_PTQ`, else `P8MEA`). Percent
 * cells may carry `%`; suppression markers (SUPP, NE, NP, x, LOWCOV, NA, blank) are
 * missing values, never zero.
 *
 * Attainment and value added are put on the model's scale by standardising within
 * the file: the mean and SD are taken over every mainstream school row of the file
 * (not just the kept LAs, so a national file keeps each LA's position relative to
 * England; a file cut down to one LA makes that LA average by construction). See
 * `toModelScale` in impute.ts for the mapping itself.
 */
import { InputError } from '../../sim/errors.js';
import { openCsv, type Sniff } from './csv.js';
import { newSink, readNumber, readText, readUrn, resolveLayout, type CellSink, type Layout, type Resolved } from './mapping.js';
import { rowDigest, type DuplicateRows, type RowSkip } from './gias.js';

/** One school row of a KS4 file, in our units (shares as fractions; scores raw). */
export interface Ks4Record {
  row: number;
  urn: number;
  fsm?: number;
  sen?: number;
  attendance?: number;
  attainment?: number;
  va?: number;
  tpup?: number;
  sink: CellSink;
}

/** Mean and SD of a column over the file's mainstream school rows. */
export interface ColumnStats {
  column: string;
  n: number;
  mean: number;
  sd: number;
}

/** Everything read from a KS4 file. */
export interface Ks4File {
  path: string;
  sniff: Sniff;
  rows: number;
  resolved: Resolved;
  byUrn: Map<number, Ks4Record>;
  /** LA and national summary rows skipped. */
  summaryRows: number;
  rowSkips: RowSkip[];
  /** Exact repeats of an earlier school row, dropped. */
  duplicates: DuplicateRows;
  attainmentStats?: ColumnStats;
  vaStats?: ColumnStats;
}

const SCHOOL_RECTYPES = new Set(['SCH', '1', '2']);

/** Running mean and variance (Welford). */
class Moments {
  n = 0;
  mean = 0;
  m2 = 0;
  add(x: number): void {
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }
  stats(column: string): ColumnStats {
    return { column, n: this.n, mean: this.mean, sd: this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0 };
  }
}

/**
 * Read a KS4 performance-tables file. Throws an `InputError` for a missing URN
 * column, a file without data rows, or a URN on two school rows.
 */
export async function readKs4(file: string, sniff: Sniff, mapped?: Layout): Promise<Ks4File> {
  const csv = await openCsv(file, sniff.encoding);
  let resolved: Resolved;
  try {
    resolved = resolveLayout(file, 'ks4', csv.header, mapped);
  } catch (e) {
    csv.close();
    throw e;
  }
  const c = resolved.cols;
  const nHeader = csv.header.length;
  const byUrn = new Map<number, Ks4Record>();
  const rowSkips: RowSkip[] = [];
  const att = new Moments();
  const va = new Moments();
  let summaryRows = 0;
  let rows = 0;
  const digests = new Map<number, string>();
  const duplicates: DuplicateRows = { count: 0 };

  for await (const rec of csv.records) {
    rows = rec.row;
    const cells = rec.cells;
    const rectype = (readText(cells, c.rectype) ?? '').toUpperCase();
    const urnText = readText(cells, c.urn!);
    // LA and national rows: another record type, or no URN under a type other than SCH/1
    // (one description of the files has 2 for LA rows rather than special schools).
    const summary = rectype === '' || rectype === '2' ? urnText === undefined : !SCHOOL_RECTYPES.has(rectype);
    if (c.rectype !== undefined && summary) {
      summaryRows++;
      continue;
    }
    if (cells.length !== nHeader) {
      rowSkips.push({ row: rec.row, column: '(whole row)', reason: `row skipped: ${cells.length} fields where the header has ${nHeader} at line ${rec.line}` });
      continue;
    }
    const u = readUrn(cells, c.urn!);
    if (u.urn === undefined) {
      rowSkips.push({ row: rec.row, column: c.urn!.header, reason: `row skipped: ${u.problem}` });
      continue;
    }
    const prev = byUrn.get(u.urn);
    const digest = rowDigest(cells);
    if (prev !== undefined) {
      if (digests.get(u.urn) === digest) {
        duplicates.count++;
        duplicates.first ??= { row: rec.row, of: prev.row };
        continue;
      }
      throw InputError.at(file, `data row ${rec.row} (line ${rec.line}), column ${c.urn!.header}`, `duplicate URN ${u.urn} with different values (first seen at data row ${prev.row}); each school must have one school row`);
    }
    digests.set(u.urn, digest);
    const sink = newSink();
    const r: Ks4Record = { row: rec.row, urn: u.urn, sink };
    r.fsm = readNumber(cells, c.fsm, sink);
    r.sen = readNumber(cells, c.sen, sink);
    const attd = readNumber(cells, c.attendance, sink);
    const abs = readNumber(cells, c.absence, sink);
    r.attendance = attd ?? (abs !== undefined ? 1 - abs : undefined);
    r.attainment = readNumber(cells, c.attainment, sink);
    r.va = readNumber(cells, c.va, sink);
    r.tpup = readNumber(cells, c.tpup, sink);
    byUrn.set(u.urn, r);
    if (rectype !== '2') {
      if (r.attainment !== undefined) att.add(r.attainment);
      if (r.va !== undefined) va.add(r.va);
    }
  }
  if (rows === 0) throw InputError.at(file, undefined, 'the file has a header but no data rows');
  return {
    path: file,
    sniff,
    rows,
    resolved,
    byUrn,
    summaryRows,
    rowSkips,
    duplicates,
    attainmentStats: c.attainment ? att.stats(c.attainment.header) : undefined,
    vaStats: c.va ? va.stats(c.va.header) : undefined,
  };
}
