/**
 * CSV formula injection and invisible characters (issue 14, item 18): a text cell
 * a spreadsheet would run as a formula is prefixed with ', plain numbers are left
 * alone; a scenario name with = and a bidi override reaches comparison.csv
 * prefixed and report.html's <title> without the override.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textCell, toCsv } from '../../../analysis/output/csv.js';
import { cli, requireBuilt } from '../../cli/run-cli.js';

let dir = '';
beforeAll(() => {
  requireBuilt();
  dir = mkdtempSync(join(tmpdir(), 'partnersim-inject-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('textCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(A1:A2)', "'+SUM(A1:A2)"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['=HYPERLINK("http://e.x","y")', `"'=HYPERLINK(""http://e.x"",""y"")"`],
    ['-1', '-1'],
    ['-0.25', '-0.25'],
    ['+3e-5', '+3e-5'],
    ['baseline', 'baseline'],
    ['a,b', '"a,b"'],
  ])('%j -> %j', (input, out) => {
    expect(textCell(input)).toBe(out);
  });
  it('toCsv prefixes text cells and leaves numbers as numbers', () => {
    expect(toCsv(['name', 'v'], [['=cmd|calc', -1]])).toBe("name,v\n'=cmd|calc,-1\n");
  });
});

describe('end to end', () => {
  it('compare --out --report: comparison.csv prefixed, <title> without the bidi override', async () => {
    const f = join(dir, 'evil.yaml');
    writeFileSync(f, 'name: "=HYPERLINK(\\"http://e.x\\",\\"y\\")\\u202Etxt"\ndescription: "hostile name"\nextends: baseline\n');
    const out = join(dir, 'out');
    const r = await cli(['compare', '--scenarios', f, '--reps', '4', '--schools', '300', '--years', '2', '--threads', '2', '--out', out, '--report']);
    expect(r.code, r.stderr).toBe(0);
    const csv = readFileSync(join(out, 'comparison.csv'), 'utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://e.x"",""y"")txt"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const title = /<title>([^<]*)<\/title>/.exec(html)![1];
    expect(title).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(r.stdout).not.toMatch(/[\u202a-\u202e]/);
  });
});
