/**
 * The world a command runs on: the built-in synthetic England, or real schools from
 * the DfE and Ofsted files (`--schools-file`, `--ks4`, `--ofsted`, `--columns`, `--la`).
 */
import { Rng } from '../../sim/rng.js';
import type { Params } from '../../sim/params.js';
import type { World } from '../../sim/world.js';
import type { ImportReport } from '../../scenarios/import/index.js';

export type { WorldArgs } from '../options.js';
import type { WorldArgs } from '../options.js';

export interface LoadedWorld {
  world: World;
  report: ImportReport;
}

/** Import the real-schools world if asked for; undefined means the synthetic England. */
export async function loadWorld(a: WorldArgs, params: Params, seed: number | string): Promise<LoadedWorld | undefined> {
  if (!a.schoolsFile) return undefined;
  const las = a.la
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const { importWorld } = await import('../../scenarios/import/index.js');
  return importWorld({ schoolsFile: a.schoolsFile, ks4: a.ks4, ofsted: a.ofsted, columns: a.columns, las }, params, Rng.fromKey({ seed, replication: 0, stream: 'import' }));
}

/** What the manifest says about the world. */
export function worldManifest(w: LoadedWorld | undefined, schools: number): Record<string, unknown> {
  if (!w) return { kind: 'synthetic', schools };
  const r = w.report;
  return { kind: 'import', schools: w.world.n, files: r.files, kept: r.kept, excluded: r.excluded, skippedCounts: r.skippedCounts, fields: r.fields, joins: r.joins };
}

/** One line for stderr about what was imported. */
export function importSummary(w: LoadedWorld): string {
  const r = w.report;
  const imputed = Object.entries(r.fields)
    .filter(([, c]) => c.imputed > 0)
    .map(([f, c]) => `${f} ${c.imputed}`)
    .join(', ');
  const skipped = Object.values(r.skippedCounts).reduce((a, b) => a + b, 0);
  return `Imported ${r.kept.secondaries} secondaries, ${r.kept.primaries} primaries in ${r.kept.las} LAs; left out: ${Object.entries(r.excluded).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}; rows skipped: ${skipped}; imputed: ${imputed || 'none'}`;
}
