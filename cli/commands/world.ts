/**
 * The world a command runs on: the built-in synthetic England, or real schools from
 * the DfE and Ofsted files (`--schools-file`, `--ks4`, `--ofsted`, `--columns`, `--la`).
 */
import type { Argv } from 'yargs';
import { Rng } from '../../sim/rng.js';
import type { Params } from '../../sim/params.js';
import type { World } from '../../sim/world.js';
import { importWorld, type ImportReport } from '../../scenarios/import/index.js';

export interface WorldArgs {
  schoolsFile?: string;
  ks4?: string;
  ofsted?: string;
  columns?: string;
  la?: string;
}

/** The import options, shared by run, compare and sweep. */
export function worldOptions<T>(y: Argv<T>) {
  return y
    .option('schools-file', { type: 'string', describe: 'Start from real schools: a GIAS establishment CSV (see docs/import.md)' })
    .option('ks4', { type: 'string', describe: 'With --schools-file: KS4 performance tables CSV, joined by URN' })
    .option('ofsted', { type: 'string', describe: 'With --schools-file: Ofsted inspection outcomes CSV, joined by URN' })
    .option('columns', { type: 'string', describe: 'With --schools-file: a mapping file for another layout (our field <- your column)' })
    .option('la', { type: 'string', describe: 'With --schools-file: keep only these LAs (codes, comma-separated)' });
}

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
