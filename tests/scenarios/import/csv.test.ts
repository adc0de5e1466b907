/**
 * The CSV layer: encoding detection, streamed records with data-row and line
 * numbers, and the parsing of numeric, date and grade cells.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCsv, parseDateText, parseNumberCell, sniffFile, readGrade, newSink, type Located } from '../../../scenarios/import/index.js';
import { encodeCp1252 } from '../../fixtures/import/make-fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partnersim-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
async function put(name: string, content: string | Buffer): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, content);
  return p;
}
async function readAll(file: string): Promise<{ header: string[]; rows: { row: number; line: number; cells: string[] }[] }> {
  const sn = await sniffFile(file);
  const csv = await openCsv(file, sn.encoding);
  const rows = [];
  for await (const r of csv.records) rows.push(r);
  return { header: csv.header, rows };
}

describe('encoding detection', () => {
  const text = 'URN,EstablishmentName\n1,St Thomas à Becket – Bishop’s\n';
  it('UTF-8, with and without BOM, and Windows-1252 decode to the same text', async () => {
    const u = await put('u.csv', Buffer.from(text, 'utf8'));
    const b = await put('b.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    const w = await put('w.csv', encodeCp1252(text));
    expect((await sniffFile(u)).encoding).toBe('utf-8');
    expect((await sniffFile(b)).encoding).toBe('utf-8-bom');
    expect((await sniffFile(w)).encoding).toBe('windows-1252');
    for (const f of [u, b, w]) {
      const { header, rows } = await readAll(f);
      expect(header).toEqual(['URN', 'EstablishmentName']); // no BOM left on the first header
      expect(rows[0].cells[1]).toBe('St Thomas à Becket – Bishop’s');
    }
  });

  it('hashes the bytes', async () => {
    const f = await put('h.csv', 'abc');
    expect((await sniffFile(f)).sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('finds an invalid byte after the first stream chunk', async () => {
    const big = 'URN,Name\n' + '1,Plain ASCII school name\n'.repeat(20_000);
    const f = await put('late.csv', Buffer.concat([Buffer.from(big), Buffer.from([0x32, 0x2c, 0xe0, 0x0a])]));
    expect((await sniffFile(f)).encoding).toBe('windows-1252');
  });
});

describe('records', () => {
  it('numbers data rows from 1 after the header and reports the line a record ends on', async () => {
    const f = await put('lines.csv', 'A,B\r\n1,"two\nlines"\r\n\r\n3,x\r\n4,y');
    const { rows } = await readAll(f);
    expect(rows).toEqual([
      { row: 1, line: 3, cells: ['1', 'two\nlines'] },
      { row: 2, line: 5, cells: ['3', 'x'] },
      { row: 3, line: 6, cells: ['4', 'y'] },
    ]);
  });

  it('passes short and long records through for the caller to report', async () => {
    const f = await put('ragged.csv', 'A,B,C\n1,2\n1,2,3,4\n');
    const { rows } = await readAll(f);
    expect(rows.map((r) => r.cells.length)).toEqual([2, 4]);
  });
});

describe('cells', () => {
  it('numbers: % signs, thousands separators, suppression markers, bad values', () => {
    expect(parseNumberCell(' 45.5% ')).toEqual({ kind: 'value', value: 45.5 });
    expect(parseNumberCell('1,234')).toEqual({ kind: 'value', value: 1234 });
    expect(parseNumberCell('-0.12')).toEqual({ kind: 'value', value: -0.12 });
    expect(parseNumberCell('1e3')).toEqual({ kind: 'value', value: 1000 });
    for (const m of ['', 'SUPP', 'NE', 'NP', 'x', 'X', 'LOWCOV', 'NA', 'NULL', 'null', '..']) expect(parseNumberCell(m).kind).toBe('missing');
    for (const b of ['12a', '5O%', 'twelve', '1,2OO', '--1', '%']) expect(parseNumberCell(b)).toEqual({ kind: 'bad', text: b });
  });

  it('dates as fractional academic years', () => {
    expect(parseDateText('01/09/2007')).toBe(2007);
    expect(parseDateText('31/08/2008')).toBeCloseTo(2008 - 1 / 366, 10);
    expect(parseDateText('15-03-2008')).toBeCloseTo(2007 + 196 / 366, 10);
    expect(parseDateText('2008-03-15')).toBeCloseTo(2007 + 196 / 366, 10);
    expect(parseDateText('15/03/2008 00:00')).toBeCloseTo(2007 + 196 / 366, 10);
    expect(parseDateText('31/02/2008')).toBeUndefined();
    expect(parseDateText('March 2008')).toBeUndefined();
  });

  it('grades: digits, the published words, no-judgement markers', () => {
    const loc: Located = { field: 'ofstedOverall', index: 0, header: 'Overall effectiveness', unit: undefined };
    const g = (t: string) => {
      const sink = newSink();
      return { v: readGrade([t], loc, sink), sink };
    };
    expect(g('1').v).toBe(1);
    expect(g('4').v).toBe(4);
    expect(g('Outstanding').v).toBe(1);
    expect(g('good').v).toBe(2);
    expect(g('Requires improvement').v).toBe(3);
    expect(g('Satisfactory').v).toBe(3);
    expect(g('Special Measures').v).toBe(4);
    expect(g('Serious Weaknesses').v).toBe(4);
    expect(g('NULL').sink.missing).toEqual(['Overall effectiveness']);
    expect(g('Insufficient evidence').sink.missing).toEqual(['Overall effectiveness']);
    const bad = g('Excellent');
    expect(bad.v).toBeUndefined();
    expect(bad.sink.issues[0].reason).toMatch(/unknown Ofsted grade 'Excellent'/);
  });
});
