/**
 * Bench section (issue 3): peak memory of compare runs with 1,000 and 10,000
 * replications of a tiny world, so the replications' records dominate.
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { DIST } from './util.js';

export function memory(): void {
  const cli = join(DIST, 'cli', 'cli.js');
  const peak = (reps: number): number => {
    // Run the command in a child that reports its own peak RSS (worker threads included).
    const code = `import(${JSON.stringify(pathToFileURL(cli).href)}).then((m) => m.main(['compare', '--scenarios', 'baseline', '--reps', '${reps}', '--schools', '40', '--years', '1', '--json'])).then(() => process.stderr.write(String(process.resourceUsage().maxRSS)))`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    return Number(r.stderr.trim().split(/\s+/).pop()) * 1024;
  };
  const a = peak(1000);
  const b = peak(10000);
  console.log('Memory of a compare run (tiny world, so replications dominate)');
  console.log(`  peak RSS 1,000 reps ${(a / 2 ** 20).toFixed(0)} MiB, 10,000 reps ${(b / 2 ** 20).toFixed(0)} MiB (ratio ${(b / a).toFixed(2)})`);
}
