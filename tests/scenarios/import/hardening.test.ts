/**
 * Messy real-world import files (issue 14, items 13-17): out-of-range values and
 * non-finite moments, exact repeated rows, the newer DfE suppression codes, an
 * unclosed quote in mid-file, and a UTF-8 file with one stray Windows-1252 byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importWorld, parseNumberCell, sniffFile, type ImportOptions } from '../../../scenarios/import/index.js';
import { InputError } from '../../../sim/errors.js';
import { defaultParams } from '../../../sim/params.js';
import { Rng } from '../../../sim/rng.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partnersim-import-hard-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HEAD = 'URN,LA (code),LA (name),EstablishmentName,EstablishmentStatus (name),PhaseOfEducation (name),PercentageFSM,Easting,Northing';
const gias = (...rows: string[]): string => [HEAD, ...rows].join('\n') + '\n';
const sec = (urn: number, fsm = '20.5', name = `School ${urn}`): string => `${urn},202,Camden,${name},Open,Secondary,${fsm},528000,184000`;
const twelve = (): string[] => Array.from({ length: 12 }, (_, i) => sec(100001 + i, String(10 + i)));

async function put(name: string, content: string | Buffer): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, content);
  return p;
}
const run = (opts: ImportOptions) => importWorld(opts, defaultParams(), new Rng('hard'));

describe('item 13: values out of range are skipped with file, row and column; moments stay finite', () => {
  it('one KS4 attainment of 1e308 is skipped; the others keep their spread (not all pinned to one value)', async () => {
    const schools = await put('s13.csv', gias(...twelve()));
    const rows = Array.from({ length: 12 }, (_, i) => `SCH,202,${100001 + i},S,${i === 3 ? '1e308' : String(40 + 2 * i)}`);
    const ks4 = await put('k13.csv', ['RECTYPE,LEA,URN,SCHNAME,ATT8SCR', ...rows].join('\n') + '\n');
    const { world, report } = await run({ schoolsFile: schools, ks4 });
    expect(report.skippedRows).toContainEqual({ file: ks4, row: 4, column: 'ATT8SCR', reason: "value out of range 0-2000 '1e308' (value ignored, imputed)" });
    const att = Array.from(world.attainment);
    expect(att.every(Number.isFinite)).toBe(true);
    // Before the fix the SD was Infinity and 8 of 12 schools got exactly 100.
    expect(new Set(att.map((a) => a.toFixed(6))).size).toBe(12);
  });
  it('percentages of -5 and 150 (PercentageFSM and a PT... attainment column) are skipped', async () => {
    const schools = await put('s13b.csv', gias(...twelve().slice(0, 10), sec(100011, '-5'), sec(100012, '150')));
    const rows = Array.from({ length: 12 }, (_, i) => `SCH,202,${100001 + i},S,${i === 0 ? '150' : String(40 + i)}`);
    const ks4 = await put('k13b.csv', ['RECTYPE,LEA,URN,SCHNAME,PTAC5EM_PTQ', ...rows].join('\n') + '\n');
    const { report } = await run({ schoolsFile: schools, ks4 });
    expect(report.skippedRows).toEqual(
      expect.arrayContaining([
        { file: schools, row: 11, column: 'PercentageFSM', reason: "percentage out of range 0-100 '-5' (value ignored, imputed)" },
        { file: schools, row: 12, column: 'PercentageFSM', reason: "percentage out of range 0-100 '150' (value ignored, imputed)" },
        { file: ks4, row: 1, column: 'PTAC5EM_PTQ', reason: "value out of range 0-100 '150' (value ignored, imputed)" },
      ]),
    );
    expect(report.skippedTotal).toBe(3);
  });
});

describe('item 15: repeated rows and suppression codes', () => {
  it('an exact repeat is dropped with a warning and counted; the world has each school once', async () => {
    const f = await put('s15.csv', gias(...twelve(), sec(100003, '12')));
    const { world, report } = await run({ schoolsFile: f });
    expect(world.n).toBe(12);
    expect(report.duplicateRows).toEqual({ [f]: 1 });
    expect(report.warnings).toEqual([`${f}: 1 exact repeat(s) of a row (same URN, every cell equal) dropped; the first is data row 13, a repeat of data row 3`]);
  });
  it('a conflicting repeat stays an error', async () => {
    const f = await put('s15b.csv', gias(...twelve(), sec(100003, '13')));
    await expect(run({ schoolsFile: f })).rejects.toThrow(/duplicate URN 100003 with different values \(first seen at data row 3\)/);
  });
  it.each(['c', 'C', 'z', 'Z', 'low', 'LOW', 'Low'])('%s is a suppression marker, not an unparseable number', (code) => {
    expect(parseNumberCell(code)).toEqual({ kind: 'missing', marker: code });
  });
  it('suppressed cells are counted, not skipped', async () => {
    const f = await put('s15c.csv', gias(...twelve().slice(0, 9), sec(100010, 'c'), sec(100011, 'z'), sec(100012, 'low')));
    const { report } = await run({ schoolsFile: f });
    expect(report.skippedTotal).toBe(0);
    expect(report.suppressed).toEqual([{ file: f, column: 'PercentageFSM', count: 3 }]);
  });
});

describe('item 16: an unclosed quote in mid-file is a syntax error, not a skipped row', () => {
  it('names the line where the quote opens', async () => {
    const f = await put('s16.csv', gias(sec(100001), '100002,202,Camden,"Unclosed School,Open,Secondary,20,528000,184000', sec(100003), '100004,202,Camden,"Closed" Academy,Open,Secondary,20,528000,184000'));
    const e = await run({ schoolsFile: f }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toMatch(/s16\.csv: line 3: CSV syntax error: unclosed quote/);
  });
  it('a quoted field with a line break inside, correctly closed, is still fine', async () => {
    const f = await put('s16b.csv', gias(...twelve().slice(0, 11), '100012,202,Camden,"Two\nLines",Open,Secondary,20,528000,184000'));
    const { world } = await run({ schoolsFile: f });
    expect(world.n).toBe(12);
  });
});

describe('item 17: a UTF-8 file with one stray Windows-1252 byte', () => {
  it('is read as Windows-1252 with a warning naming the line of the first bad byte', async () => {
    const text = gias(sec(100001, '20', 'Ecole Fran\u00e7aise'), sec(100002), sec(100003, '20', 'St Thomas X Becket'));
    const bytes = Buffer.from(text, 'utf8');
    const at = bytes.indexOf(Buffer.from('X Becket'));
    bytes[at] = 0x96; // an en dash in Windows-1252, invalid in UTF-8
    const f = await put('s17.csv', bytes);
    const sn = await sniffFile(f);
    expect(sn.encoding).toBe('windows-1252');
    expect(sn.strayByte).toEqual({ line: 4, offset: at, byte: 0x96, utf8Sequences: 1 });
    const { report } = await run({ schoolsFile: f });
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/s17\.csv: line 4: byte 0x96 \(offset \d+\) is not UTF-8, though the file holds 1 UTF-8 character\(s\) elsewhere; the whole file was read as Windows-1252/);
  });
  it('a file that is all Windows-1252 gets no warning', async () => {
    const f = await put('s17b.csv', Buffer.from(gias(sec(100001, '20', 'Ecole Fran\u00e7aise')), 'latin1'));
    const sn = await sniffFile(f);
    expect(sn.encoding).toBe('windows-1252');
    expect(sn.strayByte).toBeUndefined();
  });
});
