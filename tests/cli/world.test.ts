/**
 * The world flags (issue 14, items 10 and 14): import flags that cannot apply are
 * errors that say why; an import's skipped rows and suppressed cells are in the
 * manifest (capped, with the total) and the first few are printed on stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../sim/errors.js';
import { checkWorldFlags } from '../../cli/commands/world.js';
import { cli, requireBuilt, ROOT } from './run-cli.js';

const FX = join(ROOT, 'tests/fixtures/import');
let dir = '';
beforeAll(() => {
  requireBuilt();
  dir = mkdtempSync(join(tmpdir(), 'partnersim-world-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('item 10: flags that cannot apply are errors that say why', () => {
  it.each([
    [{ ks4: 'k.csv' }, /^--ks4: applies only with --schools-file \(a KS4 file is joined/],
    [{ ofsted: 'o.csv' }, /^--ofsted: applies only with --schools-file/],
    [{ columns: 'c.yaml' }, /^--columns: applies only with --schools-file/],
    [{ la: '202' }, /^--la: applies only with --schools-file/],
    [{ schoolsFile: 'g.csv', schools: '500' }, /^--schools: cannot apply with --schools-file: the world has as many schools as are imported/],
  ])('%o', (args, re) => {
    expect(() => checkWorldFlags(args)).toThrow(InputError);
    expect(() => checkWorldFlags(args)).toThrow(re);
  });
  it('the CLI exits 2 with the message (it used to run the synthetic England and exit 0)', async () => {
    const r = await cli(['run', '--ks4', join(FX, 'ks4.csv'), '--schools', '200', '--years', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^partnersim: --ks4: applies only with --schools-file/);
    expect(r.stdout).toBe('');
  });
  it('run --threads without --reps exits 2 saying why', async () => {
    const r = await cli(['run', '--threads', '2', '--schools', '200', '--years', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^partnersim: --threads: applies only with --reps/);
  });
});

describe('item 14: skipped rows and suppressed cells reach the manifest and stderr', () => {
  it('run --schools-file --ks4 --out records them and prints the first few', async () => {
    const out = join(dir, 'imp');
    const r = await cli(['run', '--schools-file', join(FX, 'gias.csv'), '--ks4', join(FX, 'ks4.csv'), '--years', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rows skipped: 2;/);
    expect(r.stderr).toMatch(/skipped: .*gias\.csv: data row 20, column NumberOfPupils: unparseable number '1,2OO'/);
    expect(r.stderr).toMatch(/skipped: .*ks4\.csv: data row 10, column PTAC5EM_PTQ: unparseable number '5O%'/);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { world: Record<string, unknown> };
    expect(m.world.skippedTotal).toBe(2);
    expect(m.world.skippedRows).toEqual([
      { file: join(FX, 'gias.csv'), row: 20, column: 'NumberOfPupils', reason: expect.stringMatching(/unparseable number/) },
      { file: join(FX, 'ks4.csv'), row: 10, column: 'PTAC5EM_PTQ', reason: expect.stringMatching(/unparseable number/) },
    ]);
    expect(m.world.suppressed).toContainEqual({ file: join(FX, 'ks4.csv'), column: 'B8VAMEA_PTQ', count: 2 });
    expect(m.world.duplicateRows).toEqual({});
  });
});
