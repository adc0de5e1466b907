/**
 * The world a command runs on: the built-in synthetic England, or real schools from
 * the DfE and Ofsted files (`--schools-file`, `--ks4`, `--ofsted`, `--columns`, `--la`).
 */
import { Rng } from '../../sim/rng.js';
import { InputError } from '../../sim/errors.js';
import { visibleText } from '../../scenarios/yaml-safe.js';
import type { Params } from '../../sim/params.js';
import type { World } from '../../sim/world.js';
import type { ImportReport } from '../../scenarios/import/index.js';

export type { WorldArgs } from '../options.js';
import type { WorldArgs } from '../options.js';

export interface LoadedWorld {
  world: World;
  report: ImportReport;
}

/** The import flags that need --schools-file, and why. */
const NEEDS_SCHOOLS_FILE = [
  ['ks4', '--ks4', 'a KS4 file is joined to the schools of --schools-file by URN'],
  ['ofsted', '--ofsted', 'an Ofsted file is joined to the schools of --schools-file by URN'],
  ['columns', '--columns', 'a columns map describes the layout of --schools-file, --ks4 and --ofsted'],
  ['la', '--la', 'LAs are chosen from the schools of --schools-file'],
] as const;

/**
 * Refuse world flags that cannot apply (issue 14, item 10): the import flags
 * without --schools-file (the synthetic England has no files to join), and
 * --schools with --schools-file (the world has as many schools as are imported).
 */
export function checkWorldFlags(a: WorldArgs & { schools?: unknown }): void {
  if (!a.schoolsFile) {
    for (const [key, flag, why] of NEEDS_SCHOOLS_FILE) {
      if (a[key] !== undefined) throw InputError.at(undefined, flag, `applies only with --schools-file (${why}); without --schools-file the run uses the synthetic England`);
    }
    return;
  }
  if (a.schools !== undefined) {
    throw InputError.at(undefined, '--schools', 'cannot apply with --schools-file: the world has as many schools as are imported from the file; leave out --schools (choose LAs with --la)');
  }
}

/** Import the real-schools world if asked for; undefined means the synthetic England. */
export async function loadWorld(a: WorldArgs & { schools?: unknown }, params: Params, seed: number | string): Promise<LoadedWorld | undefined> {
  checkWorldFlags(a);
  if (!a.schoolsFile) return undefined;
  const las = a.la
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const { importWorld } = await import('../../scenarios/import/index.js');
  return importWorld({ schoolsFile: a.schoolsFile, ks4: a.ks4, ofsted: a.ofsted, columns: a.columns, las }, params, Rng.fromKey({ seed, replication: 0, stream: 'import' }));
}

/** What the manifest says about the world: every file (SHA-256), what was kept, left out, skipped (the first entries and the total), suppressed and imputed. */
export function worldManifest(w: LoadedWorld | undefined, schools: number): Record<string, unknown> {
  if (!w) return { kind: 'synthetic', schools };
  const r = w.report;
  return {
    kind: 'import',
    schools: w.world.n,
    files: r.files,
    kept: r.kept,
    excluded: r.excluded,
    skippedCounts: r.skippedCounts,
    skippedTotal: r.skippedTotal,
    skippedRows: r.skippedRows,
    ...(r.skippedTotal > r.skippedRows.length ? { skippedRowsNote: `the first ${r.skippedRows.length} of ${r.skippedTotal} entries` } : {}),
    suppressed: r.suppressed,
    duplicateRows: r.duplicateRows,
    warnings: r.warnings,
    fields: r.fields,
    joins: r.joins,
  };
}

/** Skip entries printed on stderr (the manifest keeps more). */
const SKIPS_SHOWN = 5;

/** Lines for stderr about what was imported: a summary, warnings, and the first few skipped rows. */
export function importSummary(w: LoadedWorld): string {
  const r = w.report;
  const imputed = Object.entries(r.fields)
    .filter(([, c]) => c.imputed > 0)
    .map(([f, c]) => `${f} ${c.imputed}`)
    .join(', ');
  const lines = [
    `Imported ${r.kept.secondaries} secondaries, ${r.kept.primaries} primaries in ${r.kept.las} LAs; left out: ${Object.entries(r.excluded).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}; rows skipped: ${r.skippedTotal}; imputed: ${imputed || 'none'}`,
  ];
  for (const warning of r.warnings) lines.push(`partnersim: warning: ${visibleText(warning)}`);
  for (const s of r.skippedRows.slice(0, SKIPS_SHOWN)) lines.push(`  skipped: ${visibleText(s.file)}: ${s.row > 0 ? `data row ${s.row}, ` : ''}column ${visibleText(s.column)}: ${visibleText(s.reason)}`);
  if (r.skippedTotal > SKIPS_SHOWN) lines.push(`  ... ${r.skippedTotal - SKIPS_SHOWN} more (the first ${r.skippedRows.length} are listed in the manifest's world.skippedRows with --out)`);
  return lines.join('\n');
}
