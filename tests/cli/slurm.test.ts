/**
 * SLURM integration: starts a single-node cluster on localhost from Debian's
 * slurm-wlm and munge (munged as the munge user; slurmctld and slurmd as root with
 * a slurm.conf written here, in a temporary folder), runs docs/slurm-sweep.sh on
 * the example grid with 3 shards (a job array sharded by SLURM_ARRAY_TASK_ID /
 * SLURM_ARRAY_TASK_COUNT, then a merge job that depends on it), and checks the
 * merged results.csv equals a local run's byte for byte. The daemons are stopped
 * by the pids in their pid files. Where SLURM cannot start, the test fails with a
 * plain message; it never skips.
 *
 * Needs root and the Debian packages slurm-wlm and munge.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { hostname, totalmem, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepCommand } from '../../cli/commands/sweep.js';
import { tempDir } from '../analysis/sweep/helpers.js';

const SPEC = 'scenarios/sweeps/example-grid.yaml';
const ENTRY = resolve('tests/cli/fixtures/sweep-cli.mjs');
const MUNGE_PID = '/run/munge/munged.pid';

let dir = '';
let conf = '';
const started: string[] = []; // pid files of daemons this test started
let localCsv = '';

function sh(cmd: string, env: NodeJS.ProcessEnv = process.env, timeout = 30_000): { status: number | null; out: string } {
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', env, timeout });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

function fail(problem: string): never {
  throw new Error(`SLURM integration test: ${problem}. It needs root and the Debian packages slurm-wlm and munge (apt-get install -y slurm-wlm munge).`);
}

function tail(file: string, lines = 15): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no file)';
}

/** This environment without array-task variables (the script would take itself for an array task). */
function outsideArray(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('SLURM_ARRAY_') || k === 'JOB_COMPLETION_INDEX' || k === 'PARTNERSIM_SHARDS') delete env[k];
  return env;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopByPidFile(file: string): Promise<void> {
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

beforeAll(async () => {
  // 1 prerequisites
  if (process.getuid?.() !== 0) fail('not running as root (slurmd must, and munged is started as the munge user)');
  for (const bin of ['slurmctld', 'slurmd', 'sbatch', 'sinfo', 'munged', 'munge', 'unmunge']) {
    if (sh(`command -v ${bin}`).status !== 0) fail(`'${bin}' is not installed`);
  }
  // 2 munge: use a running munged if it answers, otherwise start one as the munge user
  if (sh('munge -n | unmunge').status !== 0) {
    if (!existsSync('/etc/munge/munge.key')) fail('/etc/munge/munge.key is missing (the munge package creates it)');
    const r = sh('mkdir -p /run/munge && chown munge:munge /run/munge && chmod 0755 /run/munge && runuser -u munge -- /usr/sbin/munged');
    if (r.status !== 0) fail(`munged did not start: ${r.out}`);
    started.push(MUNGE_PID);
    if (sh('munge -n | unmunge').status !== 0) fail('munged started but does not answer (munge -n | unmunge failed)');
  }
  // 3 a one-node cluster in a temporary folder
  dir = tempDir('slurm');
  chmodSync(dir, 0o755);
  for (const d of ['state', 'spool']) mkdirSync(join(dir, d));
  const host = hostname().split('.')[0];
  const port = 20000 + Math.floor(Math.random() * 20000);
  const memory = Math.floor((totalmem() / 2 ** 20) * 0.8);
  conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      `ClusterName=ps${port}`,
      `SlurmctldHost=${host}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      'AuthType=auth/munge',
      'CredType=cred/munge',
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'AccountingStorageType=accounting_storage/none',
      'JobAcctGatherType=jobacct_gather/none',
      'JobCompType=jobcomp/none',
      'MpiDefault=none',
      'ReturnToService=2',
      `SlurmctldPort=${port}`,
      `SlurmdPort=${port + 1}`,
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
      `NodeName=${host} CPUs=${cpus().length} RealMemory=${memory} State=UNKNOWN`,
      `PartitionName=test Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  for (const d of ['slurmctld', 'slurmd']) {
    const r = sh(`${d} -f ${conf}`, env);
    if (r.status !== 0) fail(`${d} did not start (${r.out}); its log:\n${tail(join(dir, `${d}.log`))}`);
    started.push(join(dir, `${d}.pid`));
  }
  let state = '';
  for (let i = 0; i < 60; i++) {
    state = sh('sinfo -h -N -o %t', env).out;
    if (state === 'idle') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  if (state !== 'idle') fail(`the node did not become idle within 30 s (sinfo: '${state}'); slurmctld log:\n${tail(join(dir, 'slurmctld.log'))}\nslurmd log:\n${tail(join(dir, 'slurmd.log'))}`);
  // 4 the reference: the same sweep on this machine
  const local = join(dir, 'local');
  await sweepCommand({ spec: SPEC, out: local, threads: '2' }, [], { print: () => undefined, env: {} });
  localCsv = readFileSync(join(local, 'results.csv'), 'utf8');
}, 170_000);

afterAll(async () => {
  // slurmd first, then slurmctld, then munged if this test started it.
  for (const f of [...started].reverse()) await stopByPidFile(f);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('SLURM job array (docs/slurm-sweep.sh)', () => {
  it('runs the example sweep as 3 array tasks sharded by SLURM variables; the dependent merge equals the local run', () => {
    const out = join(dir, 'cluster');
    const r = spawnSync('bash', ['docs/slurm-sweep.sh', SPEC, out, '3'], {
      encoding: 'utf8',
      timeout: 170_000,
      env: { ...outsideArray(), SLURM_CONF: conf, PARTNERSIM: `${process.execPath} ${ENTRY}`, SWEEP_WAIT: '1', SBATCH_OPTS: '--cpus-per-task=1' },
    });
    const logs = existsSync(out)
      ? readdirSync(out)
          .filter((f) => f.endsWith('.out'))
          .map((f) => `--- ${f}\n${tail(join(out, f))}`)
          .join('\n')
      : '';
    const why = `status ${r.status}\n${r.stdout}\n${r.stderr}\n${logs}\nslurmctld log:\n${tail(join(dir, 'slurmctld.log'))}`;
    expect(r.status, why).toBe(0);
    expect(r.stdout).toMatch(/submitted job array \d+: 3 shards/);
    for (let k = 0; k < 3; k++) {
      const m = JSON.parse(readFileSync(join(out, `shard-${k}`, 'manifest.json'), 'utf8')) as { sweep: { shard: string; shardSource: string; shardRuns: number } };
      expect([m.sweep.shard, m.sweep.shardSource, m.sweep.shardRuns], why).toEqual([`${k + 1}/3`, 'slurm', 15]);
    }
    expect(readFileSync(join(out, 'merged', 'results.csv'), 'utf8')).toBe(localCsv);
  }, 180_000);
});
