/**
 * Bench section: this build against release 0.1.0 (commit 8181c85), timed side by side
 * in the same run. 0.1.0 is checked out in a temporary git worktree, given this
 * build's node_modules (0.1.0's dependencies are a subset) and compiled with tsc;
 * both are then timed in fresh processes, interleaved A B B A ..., so drift in the
 * machine's speed hits both alike.
 *
 * Figures: one replication of the default England (10 years, termly; world
 * generation, initialisation and any spin-up included) inside a warmed-up process, at
 * 3,300 and 33,000 schools; and the whole command `partnersim run` from the command
 * line (start-up included). Target: this build at least 4x faster in-process.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { child, DIST, median, ms, ROOT, wall, type Targets } from './util.js';

/** The release the speed target is measured against. */
export const RELEASE = { name: '0.1.0', commit: '8181c85' };

/** Check out and build the release in a temporary worktree; returns its folder. */
function buildRelease(): string {
  const dir = mkdtempSync(join(tmpdir(), 'partnersim-release-'));
  rmSync(dir, { recursive: true, force: true });
  execFileSync('git', ['-C', ROOT, 'worktree', 'add', '--detach', '--quiet', dir, RELEASE.commit], { stdio: ['ignore', 'ignore', 'pipe'] });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (!existsSync(join(dir, 'dist', 'workers', 'task.js'))) throw new Error(`building ${RELEASE.name} in ${dir} gave no dist/`);
  return dir;
}

function removeRelease(dir: string): void {
  try {
    execFileSync('git', ['-C', ROOT, 'worktree', 'remove', '--force', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    execFileSync('git', ['-C', ROOT, 'worktree', 'prune'], { stdio: 'ignore' });
  }
}

/** Run both, the release first in even rounds and this build first in odd ones. */
function interleaved(round: number, rel: () => number, cur: () => number): [number, number] {
  if (round % 2 === 0) {
    const x = rel();
    return [x, cur()];
  }
  const y = cur();
  return [rel(), y];
}

export function release(targets: Targets, rounds = 5): void {
  const dir = buildRelease();
  try {
    const old = join(dir, 'dist');
    console.log(`This build against release ${RELEASE.name} (commit ${RELEASE.commit}, built in a temporary worktree), ${rounds} interleaved rounds`);
    console.log('  one replication of the default England (10 years, termly, world and any spin-up included), in a warmed-up process:');
    for (const schools of [3300, 33000]) {
      const a: number[] = [];
      const b: number[] = [];
      const ratios: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const [x, y] = interleaved(r, () => child(old, schools).times[0], () => child(DIST, schools).times[0]);
        a.push(x);
        b.push(y);
        ratios.push(x / y);
      }
      const ratio = median(ratios);
      console.log(`    ${schools.toLocaleString('en-GB').padStart(6)} schools   ${RELEASE.name} ${ms(median(a)).padStart(8)}   this build ${ms(median(b)).padStart(8)}   ${ratio.toFixed(2)}x faster (median of per-round ratios; target >= 4x)`);
      targets.add(`one replication >= 4x faster than ${RELEASE.name}, ${schools.toLocaleString('en-GB')} schools`, `${ratio.toFixed(2)}x`, ratio >= 4);
    }
    console.log('  `partnersim run --schools N` as a whole command (start-up and printing included):');
    for (const schools of [3300, 33000]) {
      const args = (d: string): string[] => [join(d, 'cli', 'main.js'), 'run', '--schools', String(schools), '--seed', '1'];
      const ratios: number[] = [];
      const a: number[] = [];
      const b: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const [x, y] = interleaved(r, () => wall(args(old)).s, () => wall(args(DIST)).s);
        a.push(x);
        b.push(y);
        ratios.push(x / y);
      }
      console.log(`    ${schools.toLocaleString('en-GB').padStart(6)} schools   ${RELEASE.name} ${ms(median(a)).padStart(8)}   this build ${ms(median(b)).padStart(8)}   ${median(ratios).toFixed(2)}x faster`);
    }
  } finally {
    removeRelease(dir);
  }
}
