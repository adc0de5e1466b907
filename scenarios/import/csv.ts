/**
 * Streamed CSV reading for the real-schools importer, with encoding detection.
 *
 * Each file is read twice, both times as a stream (a 25,000-row, ~130-column GIAS
 * extract is never held in memory as one string):
 *  1. `sniffFile` hashes the bytes (SHA-256, for the run manifest) and decides the
 *     encoding. The DfE and Ofsted downloads come as UTF-8 (with or without a byte
 *     order mark) or as Windows-1252 (GIAS's `edubasealldataYYYYMMDD.csv`). The rule:
 *     if every byte sequence is valid UTF-8 the file is UTF-8 (a BOM is recorded as
 *     `utf-8-bom` and dropped); otherwise it is Windows-1252, unless it contains a
 *     byte Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) or a NUL,
 *     which means some other encoding (UTF-16, a spreadsheet, a ZIP), reported as an
 *     `InputError` naming the file line. UTF-16 byte order marks and ZIP/gzip magic
 *     numbers are recognised and named in the message.
 *  2. `readCsv` decodes with Node's TextDecoder (which knows 'windows-1252') in a
 *     Transform stream and feeds csv-parse's streaming parser; records come out of an
 *     async iterator with their 1-based data-row number (the header is not counted)
 *     and the file line on which they end (csv-parse's count, which takes a CR LF
 *     inside a quoted field as two lines).
 *
 * Row numbering convention everywhere in the importer: "data row N" counts data
 * records from 1, after the header row; "line L" is the physical line in the file.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse, CsvError } from 'csv-parse';
import { InputError } from '../../sim/errors.js';

/** Encodings the importer accepts. */
export type Encoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';

/** What the first (sniffing) pass learns about a file. */
export interface Sniff {
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
  encoding: Encoding;
  /** Size in bytes. */
  bytes: number;
  /**
   * Set when the file was read as Windows-1252 although it also holds valid UTF-8
   * multi-byte sequences: most likely a UTF-8 file with a stray byte, whose accented
   * letters are now garbled. Where the first byte that is not UTF-8 is.
   */
  strayByte?: { line: number; offset: number; byte: number; utf8Sequences: number };
}

/** Bytes Windows-1252 does not define (WHATWG maps them to C1 controls; real text never has them). */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/**
 * Hash a file and decide its encoding (see the module comment). Throws an
 * `InputError` for a missing or empty file or an encoding that is neither UTF-8 nor
 * Windows-1252. O(bytes), streamed.
 */
export async function sniffFile(file: string): Promise<Sniff> {
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw InputError.at(file, undefined, 'not a regular file');
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw InputError.at(file, undefined, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (size === 0) throw InputError.at(file, undefined, 'the file is empty (0 bytes)');

  const hash = createHash('sha256');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let isUtf8 = true;
  let first: Buffer | undefined;
  let line = 1;
  let offset = 0;
  let nulAt: { offset: number; line: number } | undefined;
  let undefinedAt: { offset: number; line: number; byte: number } | undefined;
  // A light UTF-8 scan beside the decoder: valid multi-byte sequences seen, and the first byte that breaks one.
  let cont = 0;
  let utf8Sequences = 0;
  let firstBad: { offset: number; line: number; byte: number } | undefined;
  let lead: { offset: number; line: number; byte: number } = { offset: 0, line: 1, byte: 0 };

  for await (const chunk of createReadStream(file)) {
    const buf = chunk as Buffer;
    hash.update(buf);
    if (first === undefined) first = buf.subarray(0, 4);
    if (isUtf8) {
      try {
        utf8.decode(buf, { stream: true });
      } catch {
        isUtf8 = false;
      }
    }
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b === 0x0a) line++;
      else if (b === 0 && nulAt === undefined) nulAt = { offset: offset + i, line };
      else if (b >= 0x81 && undefinedAt === undefined && CP1252_UNDEFINED.has(b)) undefinedAt = { offset: offset + i, line, byte: b };
      if (cont > 0) {
        if ((b & 0xc0) === 0x80) {
          if (--cont === 0) utf8Sequences++;
          continue;
        }
        cont = 0;
        firstBad ??= lead;
      }
      if (b < 0x80) continue;
      if (b >= 0xc2 && b <= 0xdf) cont = 1;
      else if (b >= 0xe0 && b <= 0xef) cont = 2;
      else if (b >= 0xf0 && b <= 0xf4) cont = 3;
      else firstBad ??= { offset: offset + i, line, byte: b };
      if (cont > 0) lead = { offset: offset + i, line, byte: b };
    }
    offset += buf.length;
  }
  if (isUtf8) {
    try {
      utf8.decode(); // flush: a truncated multi-byte sequence at the end is invalid
    } catch {
      isUtf8 = false;
    }
  }
  const sha256 = hash.digest('hex');
  const head = first ?? Buffer.alloc(0);
  const hex = (b: number): string => '0x' + b.toString(16).toUpperCase().padStart(2, '0');

  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw InputError.at(file, undefined, 'this is a ZIP archive (or an .xlsx workbook), not a CSV file; extract or save it as CSV first');
  }
  if (head[0] === 0x1f && head[1] === 0x8b) throw InputError.at(file, undefined, 'this is a gzip archive, not a CSV file; decompress it first');
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw InputError.at(file, undefined, 'unsupported encoding UTF-16 (byte order mark found); save the file as "CSV UTF-8" or Windows-1252 CSV');
  }
  if (nulAt !== undefined) {
    throw InputError.at(file, `line ${nulAt.line}`, `unknown encoding: NUL byte at byte offset ${nulAt.offset} (a binary file, or UTF-16 without a byte order mark); expected UTF-8 or Windows-1252 CSV`);
  }
  if (isUtf8) {
    const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    return { sha256, encoding: bom ? 'utf-8-bom' : 'utf-8', bytes: size };
  }
  if (undefinedAt !== undefined) {
    throw InputError.at(
      file,
      `line ${undefinedAt.line}`,
      `unknown encoding: not valid UTF-8, and byte ${hex(undefinedAt.byte)} at byte offset ${undefinedAt.offset} is undefined in Windows-1252; save the file as "CSV UTF-8"`,
    );
  }
  const stray = utf8Sequences > 0 && firstBad !== undefined ? { ...firstBad, utf8Sequences } : undefined;
  return { sha256, encoding: 'windows-1252', bytes: size, ...(stray ? { strayByte: stray } : {}) };
}

/** The warning for a file read as Windows-1252 that looks like UTF-8 with a stray byte (undefined when none). */
export function encodingWarning(file: string, sn: Sniff): string | undefined {
  const s = sn.strayByte;
  if (!s) return undefined;
  const hex = '0x' + s.byte.toString(16).toUpperCase().padStart(2, '0');
  return `${file}: line ${s.line}: byte ${hex} (offset ${s.offset}) is not UTF-8, though the file holds ${s.utf8Sequences} UTF-8 character(s) elsewhere; the whole file was read as Windows-1252, so accented names may be garbled (e.g. "é" shown as "Ã©"); fix that byte or save the file as "CSV UTF-8"`;
}

/** A Transform that turns bytes into text with a streaming TextDecoder. */
class DecodeStream extends Transform {
  private readonly decoder: TextDecoder;
  constructor(encoding: Encoding) {
    super({ decodeStrings: true, readableObjectMode: false });
    // TextDecoder drops a leading UTF-8 BOM by default (ignoreBOM: false).
    this.decoder = new TextDecoder(encoding === 'windows-1252' ? 'windows-1252' : 'utf-8');
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    cb(null, this.decoder.decode(chunk, { stream: true }));
  }
  override _flush(cb: TransformCallback): void {
    const rest = this.decoder.decode();
    cb(null, rest.length > 0 ? rest : undefined);
  }
}

/** One data record of a CSV file. */
export interface CsvRecord {
  /** 1-based data-row number (the header is not counted). */
  row: number;
  /** Physical file line on which the record ends (1-based, header is line 1). */
  line: number;
  cells: string[];
}

/** A CSV file opened for streaming: its header and an iterator over its data records. */
export interface CsvReader {
  header: string[];
  records: AsyncGenerator<CsvRecord, void, undefined>;
  /** Stop reading and release the file (needed only when `records` is not iterated to the end or to an error). */
  close(): void;
}

/**
 * Open a CSV file for streamed reading in the given encoding. The first record is
 * the header (cells trimmed); the rest come from `records`. Blank lines are skipped;
 * records with a different number of fields than the header are passed through (the
 * caller reports them). A CSV syntax error (an unclosed quote) is an `InputError`.
 * Throws an `InputError` if the file has no header.
 */
export async function openCsv(file: string, encoding: Encoding): Promise<CsvReader> {
  const parser = parse({
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
  const source = createReadStream(file);
  const decode = new DecodeStream(encoding);
  source.on('error', (e) => parser.destroy(e));
  decode.on('error', (e) => parser.destroy(e));
  source.pipe(decode).pipe(parser);
  const it = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;
  const close = (): void => {
    source.destroy();
    parser.destroy();
  };

  const wrap = (e: unknown): Error => {
    if (e instanceof CsvError) {
      const ln = typeof e['lines'] === 'number' ? `line ${e['lines'] as number}` : undefined;
      return InputError.at(file, ln, `CSV syntax error: ${e.message.replace(/^Invalid Record Length: /, '')}`);
    }
    return e instanceof Error ? e : new Error(String(e));
  };

  let firstRes: IteratorResult<{ record: string[]; info: { lines: number } }>;
  try {
    firstRes = await it.next();
  } catch (e) {
    close();
    throw wrap(e);
  }
  if (firstRes.done) {
    close();
    throw InputError.at(file, undefined, 'the file is empty (no header row)');
  }
  const header = firstRes.value.record.map((h) => h.trim());

  async function* records(): AsyncGenerator<CsvRecord, void, undefined> {
    let row = 0;
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        row++;
        const cells = r.value.record;
        const line = r.value.info.lines;
        // relax_quotes lets a stray quote inside an unquoted field through, but it also
        // re-reads a quoted field whose closing quote is missing as plain text: the cell
        // then starts with the quote and has swallowed the lines after it. That is an
        // unclosed quote (issue 14, item 16), not a ragged row.
        for (const c of cells) {
          if (c.startsWith('"') && /[\r\n]/.test(c)) {
            const start = line - (cells.join('\n').match(/\r\n|\r|\n/g)?.length ?? 0) + (cells.length - 1);
            throw InputError.at(file, `line ${Math.max(2, start)}`, `CSV syntax error: unclosed quote: the quoted field starting ${JSON.stringify(c.slice(0, 30))} runs on over the next line(s) to line ${line}; close the quote or remove it`);
          }
        }
        yield { row, line, cells };
      }
    } catch (e) {
      throw wrap(e);
    } finally {
      // Stop reading if the consumer broke off early.
      if (!parser.destroyed) close();
    }
  }
  return { header, records: records(), close };
}

/** Suppression markers and blanks in DfE/Ofsted files: a missing value, never zero. */
export const MISSING_MARKERS: ReadonlySet<string> = new Set([
  '',
  'SUPP',
  'NE',
  'NP',
  'X',
  'LOWCOV',
  'NA',
  'N/A',
  'NULL',
  'NEW',
  'DNS',
  'SP',
  '..',
  // Newer DfE suppression codes (compared upper-cased): c confidential, z not applicable, low a small count.
  'C',
  'Z',
  'LOW',
  ':',
  '-',
  '.',
]);

/** The result of reading one numeric cell. */
export type NumCell = { kind: 'value'; value: number } | { kind: 'missing'; marker: string } | { kind: 'bad'; text: string };

/**
 * Parse a numeric cell: surrounding space, a trailing `%` and thousands separators
 * are allowed; suppression markers (SUPP, NE, NP, x, c, z, low, LOWCOV, NA, NULL, blank, ...)
 * give `missing`; anything else that is not a finite number gives `bad`.
 */
export function parseNumberCell(raw: string | undefined): NumCell {
  const t = (raw ?? '').trim();
  if (MISSING_MARKERS.has(t.toUpperCase())) return { kind: 'missing', marker: t === '' ? '(blank)' : t };
  let s = t;
  if (s.endsWith('%')) s = s.slice(0, -1).trim();
  s = s.replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return { kind: 'bad', text: t };
  const v = Number(s);
  return Number.isFinite(v) ? { kind: 'value', value: v } : { kind: 'bad', text: t };
}
