/** Shared set-up for the sweep tests: a plan and an empty store from sweep text, no simulation. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../../scenarios/loader.js';
import { parseSweepText, sweepHash, sweepRun } from '../../../scenarios/sweep-loader.js';
import { expandPlan, shardRuns, type SweepPlan } from '../../../analysis/sweep/plan.js';
import { SweepStore, sweepMeta } from '../../../analysis/sweep/store.js';

const made: string[] = [];

/** A fresh temporary folder (removed by {@link removeTempDirs}). */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `partnersim-${label}-`));
  made.push(dir);
  return dir;
}

/** Remove every folder {@link tempDir} made in this test file (call from afterAll). */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Plan a sweep given as YAML text (base scenario: baseline). */
export function planFrom(text: string): { plan: SweepPlan; hash: string; meta: (shard: string) => ReturnType<typeof sweepMeta> } {
  const spec = parseSweepText(text, 'test.yaml');
  const base = loadScenario(spec.scenario);
  const run = sweepRun(spec, base);
  const plan = expandPlan(spec, base.params, run);
  const hash = sweepHash(spec, base.params, run);
  return { plan, hash, meta: (shard) => sweepMeta({ file: 'test.yaml', text, spec, base, run, hash }, plan, shard) };
}

/** Create a store for shard `shard` of the sweep in a new folder. */
export async function storeFrom(text: string, shard = { index: 1, count: 1 }): Promise<{ store: SweepStore; plan: SweepPlan; dir: string }> {
  const { plan, meta } = planFrom(text);
  const dir = tempDir('store');
  const store = await SweepStore.create(dir, meta(`${shard.index}/${shard.count}`), plan, shardRuns(plan, shard));
  return { store, plan, dir };
}
