/**
 * Reader for Ofsted's school inspection outcomes CSV ("Monthly management
 * information: Ofsted's school inspections outcomes", or the "State-funded schools
 * inspections and outcomes" official statistics), or a mapped equivalent.
 *
 * Columns read: `URN`, `Inspection end date` (dd/mm/yyyy), `Overall effectiveness`,
 * the judgement on pupils' progress (`Achievement of pupils`; renamed `Outcomes for
 * pupils` in 2015 and `Quality of education` in 2019) and on behaviour (`Behaviour
 * and safety of pupils`; later `Personal development, behaviour and welfare`,
 * `Behaviour and attitudes`). Grades are 1-4 (or the words); `NULL` and blanks are
 * missing. Files that list several inspections of one school (the "all
 * inspections" extracts) are reduced to the latest per URN, by end date; a row with
 * no date loses to one with a date; on equal dates the later row wins.
 */
import { InputError } from '../../sim/errors.js';
import { openCsv, type Sniff } from './csv.js';
import { newSink, readDate, readGrade, readUrn, resolveLayout, type CellSink, type Layout, type Resolved } from './mapping.js';
import type { RowSkip } from './gias.js';

/** The latest inspection of one school. */
export interface OfstedRecord {
  row: number;
  urn: number;
  /** Fractional academic year of the inspection's end. */
  date?: number;
  overall?: 1 | 2 | 3 | 4;
  progress?: 1 | 2 | 3 | 4;
  behaviour?: 1 | 2 | 3 | 4;
  sink: CellSink;
}

/** Everything read from an Ofsted file. */
export interface OfstedFile {
  path: string;
  sniff: Sniff;
  rows: number;
  resolved: Resolved;
  /** Latest inspection per URN. */
  byUrn: Map<number, OfstedRecord>;
  /** Older inspections superseded by a later one of the same school. */
  superseded: number;
  rowSkips: RowSkip[];
}

/**
 * Read an Ofsted inspection-outcomes file. Throws an `InputError` for a missing
 * URN column or a file without data rows.
 */
export async function readOfsted(file: string, sniff: Sniff, mapped?: Layout): Promise<OfstedFile> {
  const csv = await openCsv(file, sniff.encoding);
  let resolved: Resolved;
  try {
    resolved = resolveLayout(file, 'ofsted', csv.header, mapped);
  } catch (e) {
    csv.close();
    throw e;
  }
  const c = resolved.cols;
  const nHeader = csv.header.length;
  const byUrn = new Map<number, OfstedRecord>();
  const rowSkips: RowSkip[] = [];
  let superseded = 0;
  let rows = 0;

  for await (const rec of csv.records) {
    rows = rec.row;
    const cells = rec.cells;
    if (cells.length !== nHeader) {
      rowSkips.push({ row: rec.row, column: '(whole row)', reason: `row skipped: ${cells.length} fields where the header has ${nHeader} at line ${rec.line}` });
      continue;
    }
    const u = readUrn(cells, c.urn!);
    if (u.urn === undefined) {
      rowSkips.push({ row: rec.row, column: c.urn!.header, reason: `row skipped: ${u.problem}` });
      continue;
    }
    const sink = newSink();
    const r: OfstedRecord = {
      row: rec.row,
      urn: u.urn,
      date: readDate(cells, c.inspectionDate, sink),
      overall: readGrade(cells, c.ofstedOverall, sink),
      progress: readGrade(cells, c.ofstedProgress, sink),
      behaviour: readGrade(cells, c.ofstedBehaviour, sink),
      sink,
    };
    const prev = byUrn.get(u.urn);
    if (prev === undefined) {
      byUrn.set(u.urn, r);
      continue;
    }
    superseded++;
    const newer = r.date !== undefined && (prev.date === undefined || r.date >= prev.date);
    const bothUndated = r.date === undefined && prev.date === undefined;
    if (newer || bothUndated) byUrn.set(u.urn, r);
  }
  if (rows === 0) throw InputError.at(file, undefined, 'the file has a header but no data rows');
  return { path: file, sniff, rows, resolved, byUrn, superseded, rowSkips };
}
