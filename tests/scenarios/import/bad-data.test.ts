/**
 * Bad input: structural problems are InputErrors (exit code 2) whose message names
 * the file, the data row (1-based, header not counted) and the column; unusable
 * rows and values are skipped and reported, never silently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importWorld, type ImportOptions } from '../../../scenarios/import/index.js';
import { InputError } from '../../../sim/errors.js';
import { defaultParams } from '../../../sim/params.js';
import { Rng } from '../../../sim/rng.js';
import { writeFixtures, type FixturePaths } from '../../fixtures/import/make-fixtures.js';

let dir: string;
let fx: FixturePaths;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partnersim-import-bad-'));
  fx = await writeFixtures(join(dir, 'fixtures'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HEAD = 'URN,LA (code),LA (name),EstablishmentName,EstablishmentStatus (name),PhaseOfEducation (name),PercentageFSM,Easting,Northing';
/** A small GIAS-like file: header + rows. */
const gias = (...rows: string[]): string => [HEAD, ...rows].join('\n') + '\n';
const sec = (urn: number, la = '202', extra = '20.5,528000,184000'): string => `${urn},${la},Camden,School ${urn},Open,Secondary,${extra}`;

async function put(name: string, content: string | Buffer): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, content);
  return p;
}
const run = (opts: ImportOptions) => importWorld(opts, defaultParams(), new Rng('bad'));

/** The InputError an import throws (fails the test if it resolves or throws something else). */
async function failure(opts: ImportOptions): Promise<InputError> {
  try {
    await run(opts);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('structural problems throw InputError', () => {
  it('a missing URN column names the file and the column', async () => {
    const f = await put('no-urn.csv', 'Unique ID,LA (code),EstablishmentName\n1,202,A\n');
    const e = await failure({ schoolsFile: f });
    expect(e.message).toContain(`${f}: header row, column URN: missing required column 'URN'`);
    expect(e.message).toMatch(/--columns/);
  });

  it('a duplicate URN with different values names both rows and the column', async () => {
    const f = await put('dup.csv', gias(sec(100123), sec(100124), sec(100123, '202', '21.5,528000,184000')));
    const e = await failure({ schoolsFile: f });
    expect(e.message).toBe(`${f}: data row 3 (line 4), column URN: duplicate URN 100123 with different values (first seen at data row 1); each establishment must appear once`);
  });

  it('an empty file, and a header with no rows', async () => {
    const empty = await put('empty.csv', '');
    expect((await failure({ schoolsFile: empty })).message).toBe(`${empty}: the file is empty (0 bytes)`);
    const headerOnly = await put('header-only.csv', HEAD + '\r\n');
    expect((await failure({ schoolsFile: headerOnly })).message).toBe(`${headerOnly}: the file has a header but no data rows`);
    const blank = await put('blank-lines.csv', '\n\n\n');
    expect((await failure({ schoolsFile: blank })).message).toMatch(/empty \(no header row\)/);
    const ks4 = await put('ks4-empty.csv', 'RECTYPE,URN,ATT8SCR\n');
    expect((await failure({ schoolsFile: fx.gias, ks4 })).message).toBe(`${ks4}: the file has a header but no data rows`);
  });

  it('a file that does not exist', async () => {
    const e = await failure({ schoolsFile: join(dir, 'nope.csv') });
    expect(e.message).toMatch(/nope\.csv: cannot read the file \(ENOENT\)/);
  });

  it('an unknown LA code in --la lists the codes the file has', async () => {
    const e = await failure({ schoolsFile: fx.gias, las: ['202', '999'] });
    expect(e.message).toMatch(/^--la: unknown LA code '999'/);
    expect(e.message).toContain('202 (Camden)');
    expect(e.message).toContain('886 (Kent)');
  });

  it('an unknown encoding: bytes undefined in Windows-1252, UTF-16, NUL bytes, a ZIP', async () => {
    const undef = await put('cp.csv', Buffer.concat([Buffer.from(HEAD + '\n' + sec(1) + '\n'), Buffer.from([0x31, 0x2c, 0x32, 0x30, 0x32, 0x2c, 0x81, 0x0a])]));
    const e1 = await failure({ schoolsFile: undef });
    expect(e1.message).toMatch(/cp\.csv: line 3: unknown encoding: not valid UTF-8, and byte 0x81 at byte offset \d+ is undefined in Windows-1252/);
    const utf16 = await put('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEAD + '\n', 'utf16le')]));
    expect((await failure({ schoolsFile: utf16 })).message).toMatch(/unsupported encoding UTF-16/);
    const nul = await put('nul.csv', Buffer.from(`URN\u0000,LA (code)\n1,202\n`, 'latin1'));
    expect((await failure({ schoolsFile: nul })).message).toMatch(/nul\.csv: line 1: unknown encoding: NUL byte/);
    const zip = await put('zip.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    expect((await failure({ schoolsFile: zip })).message).toMatch(/ZIP archive/);
  });

  it('a CSV syntax error (an unclosed quote) gives the line', async () => {
    const f = await put('quote.csv', gias(sec(1), '2,202,Camden,"Unclosed School,Open,Secondary,1,1,1'));
    const e = await failure({ schoolsFile: f });
    expect(e.message).toMatch(/quote\.csv: line \d+: CSV syntax error/);
  });

  it('nothing usable: no open secondary in the file or the chosen LAs', async () => {
    const f = await put('closed.csv', gias('1,202,Camden,Shut School,Closed,Secondary,,,', '2,202,Camden,Little School,Open,Primary,,,'));
    const e = await failure({ schoolsFile: f });
    expect(e.message).toMatch(/no open state-funded secondary schools in the file; nothing to simulate \(left out: 1 closed\)/);
    const e2 = await failure({ schoolsFile: fx.gias, las: ['201'] });
    expect(e2.message).toMatch(/no open state-funded secondary schools in LA 201/);
  });

  it('KS4: a duplicate school URN, and a missing URN column', async () => {
    const dup = await put('ks4-dup.csv', 'RECTYPE,LEA,URN,SCHNAME,ATT8SCR\nSCH,202,100001,A,50\nLA,202,,Camden,48\nSCH,202,100001,A again,51\n');
    expect((await failure({ schoolsFile: fx.gias, ks4: dup })).message).toBe(
      `${dup}: data row 3 (line 4), column URN: duplicate URN 100001 with different values (first seen at data row 1); each school must have one school row`,
    );
    const nourn = await put('ks4-nourn.csv', 'RECTYPE,LEA,SCHNAME,ATT8SCR\nSCH,202,A,50\n');
    expect((await failure({ schoolsFile: fx.gias, ks4: nourn })).message).toMatch(/ks4-nourn\.csv: header row, column URN: missing required column 'URN'.*KS4 performance tables/);
  });
});

describe('unusable rows and values are skipped and counted', () => {
  it('rows without a usable URN or LA code, or with shifted columns', async () => {
    const f = await put('rows.csv', gias(sec(1), 'abc,202,Camden,Bad URN,Open,Secondary,1,1,1', ',202,Camden,No URN,Open,Secondary,1,1,1', '4,,Camden,No LA,Open,Secondary,1,1,1', '5,202,Camden,Unquoted, comma,Open,Secondary,1,1,1', sec(6)));
    const { world, report } = await run({ schoolsFile: f });
    expect(world.n).toBe(2);
    expect(report.skippedCounts[f]).toBe(4);
    expect(report.skippedRows).toEqual([
      { file: f, row: 2, column: 'URN', reason: "row skipped: unparseable URN 'abc'" },
      { file: f, row: 3, column: 'URN', reason: 'row skipped: missing URN' },
      { file: f, row: 4, column: 'LA (code)', reason: 'row skipped: missing LA code' },
      { file: f, row: 5, column: '(whole row)', reason: expect.stringMatching(/10 fields where the header has 9/) },
    ]);
  });

  it('unparseable and out-of-range numbers are ignored, imputed and reported; suppression markers are not errors', async () => {
    const f = await put('values.csv', gias(sec(1, '202', 'twelve,528000,184000'), sec(2, '202', '140,528000,184000'), sec(3, '202', 'SUPP,x,x'), sec(4, '202', '12%,528500,184500')));
    const { world, report } = await run({ schoolsFile: f });
    expect(world.n).toBe(4);
    expect(report.skippedRows).toEqual([
      { file: f, row: 1, column: 'PercentageFSM', reason: "unparseable number 'twelve' (value ignored, imputed)" },
      { file: f, row: 2, column: 'PercentageFSM', reason: "percentage out of range 0-100 '140' (value ignored, imputed)" },
    ]);
    expect(report.fields['fsm']).toEqual({ fromFile: 1, imputed: 3 });
    expect(world.fsm[3]).toBeCloseTo(0.12, 6);
    expect(report.suppressed).toEqual(
      expect.arrayContaining([
        { file: f, column: 'PercentageFSM', count: 1 },
        { file: f, column: 'Easting', count: 1 },
      ]),
    );
  });

  it('KS4 rows without a URN and columns too sparse to standardise', async () => {
    const ks4 = await put('ks4-sparse.csv', 'RECTYPE,LEA,URN,SCHNAME,ATT8SCR,P8MEA\nSCH,202,,Lost,50,0.1\nSCH,202,100001,A,52,SUPP\nSCH,202,100002,B,NE,0.2\nNAT,,,England,46,0\n');
    const { report } = await run({ schoolsFile: fx.gias, ks4, las: ['202'] });
    expect(report.excluded['ks4:summary-row']).toBe(1);
    expect(report.skippedRows).toEqual(
      expect.arrayContaining([
        { file: ks4, row: 1, column: 'URN', reason: 'row skipped: missing URN' },
        { file: ks4, row: 0, column: 'ATT8SCR', reason: expect.stringMatching(/only 1 value\(s\): cannot standardise/) },
        { file: ks4, row: 0, column: 'P8MEA', reason: expect.stringMatching(/only 1 value\(s\)/) },
      ]),
    );
    expect(report.fields['attainment'].fromFile).toBe(0);
  });

  it('keeps only the first 50 skip entries but counts them all', async () => {
    const rows = [sec(1)];
    for (let i = 2; i < 80; i++) rows.push(sec(i, '202', 'bad,528000,184000'));
    const f = await put('many.csv', gias(...rows));
    const { report } = await run({ schoolsFile: f });
    expect(report.skippedRows).toHaveLength(50);
    expect(report.skippedCounts[f]).toBe(78);
  });
});
