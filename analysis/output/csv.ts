/**
 * Tidy CSV: one header row, RFC 4180 quoting, numbers written with a fixed rule so
 * output is byte-identical wherever it is produced.
 */

/**
 * Format a number reproducibly and losslessly: JavaScript's shortest round-trip
 * text (ECMAScript Number::toString), so Number(fmtNum(x)) === x and no two
 * distinct values print alike (rounding to fewer digits would create ties that
 * are not in the data). Non-finite values as NaN, Inf, -Inf.
 */
export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Inf' : '-Inf';
  return String(x);
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return fmtNum(v);
  return textCell(String(v));
}

/**
 * A text cell: prefixed with ' when a spreadsheet would run it as a formula (it
 * starts with = + - @, a tab or a carriage return, and is not a plain number; OWASP's
 * advice against CSV injection, issue 14 item 18), then quoted as RFC 4180 asks.
 */
export function textCell(text: string): string {
  const s = /^[=+\-@\t\r]/.test(text) && !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text for rows of values under a header. */
export function toCsv(header: readonly string[], rows: Iterable<readonly unknown[]>): string {
  const out: string[] = [header.map(cell).join(',')];
  for (const r of rows) out.push(r.map(cell).join(','));
  return out.join('\n') + '\n';
}
