/**
 * The import report: what was read from which file, what was kept, left out,
 * skipped and imputed. It goes into the run manifest so that a result can be traced
 * back to the exact input files (by SHA-256) and to how many values were real.
 *
 * Skips are never silent: every row dropped, and every cell whose value could not
 * be used, gets an entry. The first `SKIPPED_KEPT` entries are kept verbatim in
 * `skippedRows`; `skippedCounts` counts all of them, per file. Suppression markers
 * (SUPP, NE, NP, x, LOWCOV, NA, NULL, blank) are expected in DfE files: they are not
 * errors, but they are counted per file and column in `suppressed`.
 */

/** The files an import reads. */
export type FileRole = 'schools' | 'ks4' | 'ofsted' | 'columns';

/** One input file as read. */
export interface ImportFileInfo {
  role: FileRole;
  /** The path as given. */
  path: string;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
  /** Data rows read (header not counted); for the columns map, the number of mapped fields. */
  rows: number;
  /** Layout recognised: 'gias', 'ks4', 'ofsted', 'mapped' (through --columns) or 'yaml'. */
  format: string;
  /** 'utf-8', 'utf-8-bom' or 'windows-1252'. */
  encoding: string;
}

/** A row dropped, or a cell whose value could not be used. */
export interface SkippedEntry {
  file: string;
  /** 1-based data row (the header is not counted); 0 for a whole-column problem. */
  row: number;
  column: string;
  reason: string;
}

/** How many values of a World field came from the files and how many were imputed. */
export interface FieldCount {
  fromFile: number;
  imputed: number;
}

/** What an import did; part of the run manifest. */
export interface ImportReport {
  files: ImportFileInfo[];
  /** Kept establishments: secondaries (agents), primaries from the file (feeders), LAs with at least one secondary. */
  kept: { secondaries: number; primaries: number; las: number };
  /**
   * Establishments left out, by reason: outside-la, closed, proposed (to open),
   * independent, special, alternative-provision, other-type, other-phase,
   * other-status, primary-without-secondary (a primary in an LA with no kept
   * secondary); and `ks4:summary-row` (LA/national rows of the KS4 file).
   */
  excluded: Record<string, number>;
  /** The first 50 skip entries. */
  skippedRows: SkippedEntry[];
  /** All skip entries, per file. */
  skippedCounts: Record<string, number>;
  /** All skip entries, every file. */
  skippedTotal: number;
  /** Exact repeats of a row (same URN, every cell equal) dropped, per file. */
  duplicateRows: Record<string, number>;
  /** Things the user should know that did not stop the import (repeated rows, a stray non-UTF-8 byte), one sentence each. */
  warnings: string[];
  /** Missing-value markers met, per file and column (not errors; the values are imputed). */
  suppressed: { file: string; column: string; count: number }[];
  /**
   * Per World field, over the kept secondaries (fromFile + imputed = kept.secondaries):
   * pupils, location, fsm, sen, attendance, attainment, quality, behaviour,
   * ofstedProgress, ofstedBehaviour, lastInspection, staffDays, keyPerson, feeders.
   * For the latent fields, `quality` counts as from file when a file attainment,
   * value-added or progress grade informed it, `behaviour` when a file behaviour
   * grade did; `feeders` when the school's LA had primaries in the file.
   */
  fields: Record<string, FieldCount>;
  /** Kept secondaries found (matched) or not found (unmatched) in the KS4 and Ofsted files, by URN. */
  joins: { ks4Matched: number; ks4Unmatched: number; ofstedMatched: number; ofstedUnmatched: number };
}

/** Skip entries kept verbatim in the report. */
export const SKIPPED_KEPT = 50;

/** Accumulates skips and suppression counts while files are read. */
export class IssueLog {
  readonly skippedRows: SkippedEntry[] = [];
  readonly skippedCounts: Record<string, number> = {};
  private readonly suppressedMap = new Map<string, { file: string; column: string; count: number }>();

  /** Record a dropped row or an unusable cell. */
  skip(file: string, row: number, column: string, reason: string): void {
    this.skippedCounts[file] = (this.skippedCounts[file] ?? 0) + 1;
    if (this.skippedRows.length < SKIPPED_KEPT) this.skippedRows.push({ file, row, column, reason });
  }

  /** Count a missing-value marker. */
  suppress(file: string, column: string): void {
    const key = `${file}\u0000${column}`;
    const e = this.suppressedMap.get(key);
    if (e) e.count++;
    else this.suppressedMap.set(key, { file, column, count: 1 });
  }

  /** Suppression counts in first-seen order. */
  suppressed(): { file: string; column: string; count: number }[] {
    return [...this.suppressedMap.values()];
  }
}

/** A problem with one cell, held until we know whether its row is kept. */
export interface CellIssue {
  column: string;
  reason: string;
}
