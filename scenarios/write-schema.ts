/**
 * Writes scenarios/scenario.schema.json, the JSON Schema of scenario files, from the
 * parameter table (via schema.ts). Run it after changing sim/params.ts:
 *   node dist/scenarios/write-schema.js
 * tests/scenarios/loader.test.ts checks that the shipped file is current.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioSchema } from './schema.js';
import { builtinDir } from './yaml-path.js';

/** The exact text of the shipped schema file. */
export function schemaText(): string {
  return JSON.stringify(scenarioSchema(), null, 2) + '\n';
}

/** Write the schema file next to the built-in scenarios; returns its path. */
export function writeSchema(): string {
  const file = join(builtinDir(), 'scenario.schema.json');
  writeFileSync(file, schemaText());
  return file;
}

// Only when run as a script, never on import.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`wrote ${writeSchema()}\n`);
}
