/**
 * `partnersim sweep` on imported schools and with --report (issue 14, item 11): the
 * world is imported once, recorded in the folder (database meta and manifest), and
 * checked on --resume and on merge; --report draws the charts as run and compare do.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeCommand, sweepCommand, type SweepHooks } from '../../cli/commands/sweep.js';
import { SweepStore } from '../../analysis/sweep/store.js';
import { removeTempDirs, tempDir } from '../analysis/sweep/helpers.js';
import { cli, requireBuilt, ROOT } from './run-cli.js';

const FX = join(ROOT, 'tests/fixtures/import');
const quiet: SweepHooks = { print: () => undefined, note: () => undefined, env: {} };
let root = '';
let spec = '';
const IMPORT = { schoolsFile: join(FX, 'gias.csv'), ks4: join(FX, 'ks4.csv') };

beforeAll(() => {
  requireBuilt();
  root = tempDir('sweep-world');
  spec = join(root, 'tiny.yaml');
  writeFileSync(spec, 'version: 1\nname: tiny-import\ndescription: two levels on imported schools\nscenario: baseline\nrun: {years: 2}\nparameters:\n  trust.gain: {levels: [0.03, 0.12]}\ndesign: {type: grid}\nreplications: 2\noutcomes: [trust_mean, attainment_mean]\n');
});
afterAll(removeTempDirs);

describe('sweep --schools-file', () => {
  it('runs every run on the imported world and records it in the database and the manifest', async () => {
    const out = join(root, 'imp');
    const r = await sweepCommand({ spec, out, threads: '2', ...IMPORT }, ['sweep', spec, '--out', out], quiet);
    expect(r.planRuns).toBe(4);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { world: { kind: string; schools: number; files: { role: string; sha256: string }[] }; run: { schools: number } };
    expect(m.world.kind).toBe('import');
    expect(m.world.files.map((f) => f.role)).toEqual(['schools', 'ks4']);
    expect(m.world.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.run.schools).toBe(m.world.schools);
    const s = (await SweepStore.open(out, { readOnly: true }))!;
    expect(s.meta.world?.kind).toBe('import');
    await s.close();
  });
  it('--resume without the import flags, or with fewer files, is refused naming both worlds', async () => {
    const out = join(root, 'imp');
    await expect(sweepCommand({ spec, out, resume: true }, [], quiet)).rejects.toThrow(/holds this sweep run on \d+ imported schools from .*gias\.csv \(sha256 [0-9a-f]{12}\).*but this command gives the synthetic England/);
    await expect(sweepCommand({ spec, out, resume: true, schoolsFile: IMPORT.schoolsFile }, [], quiet)).rejects.toThrow(/holds this sweep run on .*ks4\.csv.*but this command gives \d+ imported schools from [^,]*gias\.csv \(sha256 [0-9a-f]{12}\); resume with the same/);
    const again = await sweepCommand({ spec, out, resume: true, ...IMPORT }, [], quiet);
    expect(again.ranNow).toBe(0);
  });
  it('merge refuses shards run on different worlds', async () => {
    const a = join(root, 'shard-a');
    const b = join(root, 'shard-b');
    await sweepCommand({ spec, out: a, shard: '1/2', ...IMPORT }, [], quiet);
    await sweepCommand({ spec, out: b, shard: '2/2', schoolsFile: IMPORT.schoolsFile }, [], quiet);
    await expect(mergeCommand({ dirs: [a, b], out: join(root, 'merged') }, [], quiet)).rejects.toThrow(/shard-b: was run on .*gias\.csv.*but .*shard-a on .*ks4\.csv.*; expected shards of one sweep on one world/);
  });
});

describe('the sweep command line', () => {
  it('takes --schools-file/--ks4 and --report (both used to be rejected)', async () => {
    const out = join(root, 'cli');
    const r = await cli(['sweep', spec, '--out', out, '--threads', '2', '--schools-file', IMPORT.schoolsFile, '--ks4', IMPORT.ks4, '--report']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Imported \d+ secondaries/);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });
  it('--ks4 without --schools-file, and --schools, are refused with why', async () => {
    const [a, b] = await Promise.all([cli(['sweep', spec, '--out', join(root, 'x'), '--ks4', IMPORT.ks4]), cli(['sweep', spec, '--out', join(root, 'y'), '--schools', '500'])]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--ks4: applies only with --schools-file/);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--schools: does not apply to a sweep: set run\.schools in the sweep file/);
  });
});
