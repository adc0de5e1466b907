/**
 * Shared pieces of `npm run bench`: timers, medians, running bench children, and the
 * list of targets that the closing note prints (each with its measured figure).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../scenarios/yaml-path.js';

/** The sections of `npm run bench`, in the order they run (`--only NAME` picks one). */
export const SECTIONS = ['release', 'engine', 'phases', 'startup', 'threads', 'pool', 'sweep', 'memory'] as const;

/** The repository root of this build. */
export const ROOT = packageRoot();
/** This build's dist/ folder. */
export const DIST = join(ROOT, 'dist');

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function seconds(f: () => unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export interface ChildResult {
  times: number[];
  steps: number;
  rss: number;
}

/** Time replications of the default England in a fresh process for the build at `dist`. */
export function child(dist: string, schools: number, opts: { reps?: number; warm?: number; node?: string[] } = {}): ChildResult {
  const args = [...(opts.node ?? []), join(DIST, 'bench', 'child.js'), '--root', dist, '--schools', String(schools), '--reps', String(opts.reps ?? 1), '--warm', String(opts.warm ?? 1)];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench child failed (${args.join(' ')}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

/** Wall seconds of a whole command (a fresh node process), and its stderr. */
export function wall(args: string[], env: Record<string, string> = {}): { s: number; stderr: string; stdout: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env } });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`bench command failed (node ${args.join(' ')}):\n${r.stderr}`);
  return { s, stderr: r.stderr, stdout: r.stdout };
}

export interface Target {
  what: string;
  figure: string;
  met: boolean;
}

/** The targets measured in this run, for the closing note. */
export class Targets {
  readonly list: Target[] = [];
  add(what: string, figure: string, met: boolean): void {
    this.list.push({ what, figure, met });
  }
  print(): void {
    if (this.list.length === 0) return;
    console.log('');
    console.log('Targets (figures measured in this run; ratios are within-run, absolute times vary with the machine)');
    const w = Math.max(...this.list.map((t) => t.what.length));
    for (const t of this.list) console.log(`  ${t.met ? 'met    ' : 'NOT met'}  ${t.what.padEnd(w)}  ${t.figure}`);
  }
}

export const fmtInt = (x: number): string => Math.round(x).toLocaleString('en-GB');
export const ms = (s: number): string => `${(s * 1000).toFixed(s < 0.1 ? 1 : 0)} ms`;
