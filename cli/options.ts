/**
 * Option builders shared by several commands. Kept apart from the commands so that
 * building the parser loads no heavy module (each command's handler imports its own).
 */
import type { Argv } from 'yargs';

export interface CommonRunArgs {
  seed?: unknown;
  years?: unknown;
  schools?: unknown;
  out?: string;
  json?: boolean;
}

export interface WorldArgs {
  schoolsFile?: string;
  ks4?: string;
  ofsted?: string;
  columns?: string;
  la?: string;
}

/** Options shared by run, compare and sweep. */
export function commonOptions<T>(y: Argv<T>) {
  return y
    .option('seed', { type: 'string', describe: 'Seed: a whole number from 0 that fixes the run completely (default 1)' })
    .option('seed-string', { type: 'string', describe: 'A text seed instead of --seed (used as written; 1 to 64 characters)' })
    .option('years', { type: 'string', describe: 'Years to simulate (default: the scenario\'s, 10)' })
    .option('schools', { type: 'string', describe: 'Secondary schools in the synthetic England (default 3,300; LAs scale with it)' })
    .option('out', { type: 'string', describe: 'Folder to write tidy CSV/JSON results and a manifest into' })
    .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document on stdout and nothing else there' })
    .option('report', { type: 'boolean', default: false, describe: 'Also draw the charts and report.html into --out (as `partnersim report DIR`)' });
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

