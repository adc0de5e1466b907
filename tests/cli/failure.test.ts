/**
 * Environment failures and interruptions (issue 14, items 3, 5 and 7): a full disk
 * gives exit code 3 and a message saying what was kept and how to resume, with the
 * files finished before it intact; SIGINT/SIGTERM say the same; `--out` under
 * /proc is refused at once instead of hanging.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFailedError } from '../../sim/errors.js';
import { environmentCode, environmentMessage, keptAndResume, signalMessage } from '../../cli/failure.js';
import { cli, MAIN, requireBuilt, ROOT } from './run-cli.js';

let dir = '';
beforeAll(() => {
  requireBuilt();
  dir = mkdtempSync(join(tmpdir(), 'partnersim-failure-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const RUN = ['run', '--schools', '300', '--years', '2', '--seed', '3'];

describe('environment failures are told apart from bugs', () => {
  it('classifies system error codes, DuckDB-worded messages and a worker failing beyond retry', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(environmentCode(enospc)).toBe('ENOSPC');
    expect(environmentCode(new Error('IO Error: Could not write file "x.wal": No space left on device'))).toBe('ENOSPC');
    expect(environmentCode(new Error('IO Error: Cannot open file "x": Read-only file system'))).toBe('EROFS');
    expect(environmentCode(Object.assign(new Error('too many'), { code: 'EMFILE' }))).toBe('EMFILE');
    expect(environmentCode(new Error('x', { cause: Object.assign(new Error('y'), { code: 'EACCES' }) }))).toBe('EACCES');
    expect(environmentCode(new RunFailedError('replications failed twice'))).toBe('WORKER');
    expect(environmentCode(new TypeError('cannot read properties of undefined'))).toBeUndefined();
  });
  it('says what was kept and the command that resumes, per command', () => {
    expect(keptAndResume(['sweep', 's.yaml', '--out', 'res', '--threads', '2'])).toMatch(/committed in res\/sweep\.duckdb[\s\S]*partnersim sweep s\.yaml --out res --threads 2 --resume/);
    expect(keptAndResume(['compare', '--scenarios', 'all', '--out=my results'])).toMatch(/replications that finished are in my results\/replications\.partial\.csv[\s\S]*partnersim compare --scenarios all '--out=my results'/);
    expect(keptAndResume(['robust', 'e.yaml', '--out', 'r'])).toMatch(/committed in r\/sweep\.duckdb[\s\S]*partnersim robust e\.yaml --out r --resume/);
    expect(keptAndResume(['run'])).toMatch(/nothing was written/);
    expect(environmentMessage('ENOSPC', new Error('disk'), ['run', '--out', 'o'])).toMatch(/^partnersim: stopped: the disk is full \(ENOSPC\): disk\. Free some space/);
    expect(signalMessage('SIGTERM', ['sweep', 'x.yaml', '--out', 'o'])).toMatch(/interrupted \(SIGTERM\)[\s\S]*--resume/);
  });
});

/** Mount a tmpfs of `bytes` at `at`; false when this process may not (not root, no mount). */
function mountTmpfs(at: string, bytes: number): boolean {
  mkdirSync(at, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', at]).status === 0;
}

describe('a full disk: exit 3, a message, and finished files intact', () => {
  it('run --out on a small tmpfs: timeseries.csv fits and is intact, schools.csv does not fit', async () => {
    const ref = join(dir, 'ref');
    const r0 = await cli([...RUN, '--out', ref]);
    expect(r0.code, r0.stderr).toBe(0);
    const ts = statSync(join(ref, 'timeseries.csv')).size;
    const schools = statSync(join(ref, 'schools.csv')).size;
    // Room for timeseries.csv (written first) and a page to spare, not for schools.csv.
    const pages = Math.ceil(ts / 4096) + 1;
    expect(schools).toBeGreaterThan(2 * 4096);
    const mnt = join(dir, 'mnt');
    if (!mountTmpfs(mnt, pages * 4096)) {
      console.warn('skipped: cannot mount a tmpfs here (not root?); the in-process injection test below covers the same path');
      return;
    }
    try {
      const out = join(mnt, 'out');
      const r = await cli([...RUN, '--out', out]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/^partnersim: stopped: the disk is full \(ENOSPC\)/);
      expect(r.stderr).toMatch(/Kept: files already in .*out were each written whole/);
      expect(r.stderr).toContain(`partnersim run --schools 300 --years 2 --seed 3 --out ${out}`);
      expect(r.stderr).not.toMatch(/internal error|    at /);
      expect(readFileSync(join(out, 'timeseries.csv'), 'utf8')).toBe(readFileSync(join(ref, 'timeseries.csv'), 'utf8'));
      expect(readdirSync(out).sort()).toEqual(['timeseries.csv']);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});

describe('a full disk during a sweep', () => {
  it('exit 3 and how to resume; after freeing space --resume finishes with the results of an uninterrupted sweep', async () => {
    const spec = join(dir, 'twelve.yaml');
    writeFileSync(spec, `version: 1\nname: twelve\ndescription: twelve runs\nscenario: baseline\nrun: {years: 3, schools: 200}\nparameters:\n  trust.gain: {levels: [0.03, 0.06, 0.12]}\ndesign: {type: grid}\nreplications: 4\noutcomes: [trust_mean, attainment_mean]\n`);
    const mnt = join(dir, 'mnt-sweep');
    if (!mountTmpfs(mnt, 8 << 20)) {
      console.warn('skipped: cannot mount a tmpfs here (not root?)');
      return;
    }
    try {
      const out = join(mnt, 's');
      // The test entry prints "committed RUN" after each commit (SWEEP_TRACE_COMMITS), so the disk is filled after work has finished.
      const child = spawn(process.execPath, [join(ROOT, 'tests/cli/fixtures/sweep-cli.mjs'), 'sweep', spec, '--out', out, '--threads', '1'], { env: { ...process.env, SWEEP_TRACE_COMMITS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
      await new Promise<void>((done) => child.stdout.on('data', (d: Buffer) => d.toString().includes('committed') && done()));
      spawnSync('dd', ['if=/dev/zero', `of=${join(mnt, 'fill')}`, 'bs=64k']);
      expect(await exited).toBe(3);
      expect(stderr).toMatch(/^partnersim: stopped: the disk is full \(ENOSPC\)/);
      expect(stderr).toContain(`committed in ${out}/sweep.duckdb`);
      expect(stderr).toContain(`partnersim sweep ${spec} --out ${out} --threads 1 --resume`);
      rmSync(join(mnt, 'fill'));
      const resumed = await cli(['sweep', spec, '--out', out, '--threads', '2', '--resume']);
      expect(resumed.code, resumed.stderr).toBe(0);
      const before = Number(/(\d+) done before/.exec(resumed.stdout)![1]);
      expect(before).toBeGreaterThan(0);
      const ref = join(dir, 'ref-sweep');
      const r = await cli(['sweep', spec, '--out', ref, '--threads', '2']);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(out, 'results.csv'), 'utf8')).toBe(readFileSync(join(ref, 'results.csv'), 'utf8'));
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});

describe('--out that cannot be created', () => {
  it('under /proc is refused with exit 2 at once (it used to hang at 100% CPU)', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
      execFile(process.execPath, [MAIN, ...RUN, '--out', '/proc/nope/deeper'], { timeout: 60_000 }, (err, _o, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr }));
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/proc\/nope\/deeper: --out: cannot be created under \/proc/);
  });
  it('under a file is refused with exit 2', async () => {
    writeFileSync(join(dir, 'plain'), 'x');
    const r = await cli([...RUN, '--out', join(dir, 'plain', 'sub')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out: cannot be created: .*plain is not a folder/);
  });
});

describe('SIGINT and SIGTERM', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s during a sweep says what was kept and how to resume, and --resume finishes it', async (signal, code) => {
    const out = join(dir, `sig-${signal}`);
    const spec = join(dir, 'six.yaml');
    writeFileSync(spec, `version: 1\nname: six\ndescription: six runs\nscenario: baseline\nrun: {years: 4, schools: 300}\nparameters:\n  trust.gain: {levels: [0.03, 0.06, 0.12]}\ndesign: {type: grid}\nreplications: 2\noutcomes: [trust_mean]\n`);
    const child = spawn(process.execPath, [MAIN, 'sweep', spec, '--out', out, '--threads', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    // The database exists only once the handlers are installed and the sweep has started.
    while (!existsSync(join(out, 'sweep.duckdb')) && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(stderr).toContain(`interrupted (${signal})`);
    expect(stderr).toContain(`committed in ${out}/sweep.duckdb`);
    expect(stderr).toContain(`partnersim sweep ${spec} --out ${out} --threads 1 --resume`);
    if (signal === 'SIGTERM') return; // resuming is the same after either signal: once is enough
    const r = await cli(['sweep', spec, '--out', out, '--threads', '2', '--resume']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/6 runs/);
  });
});
