/**
 * Regenerates the parameter table of docs/ODD.md (between its markers) from the
 * parameter table in sim/params.ts. Run with `npm run docs`; a test checks the
 * committed table is current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listSpecs } from '../sim/params.js';
import { packageRoot } from './yaml-path.js';

const START = '<!-- parameters:start -->';
const END = '<!-- parameters:end -->';

/** The markdown table of every parameter. */
export function parameterTable(): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const rows = listSpecs().map(({ path, spec }) =>
    spec.kind === 'boolean'
      ? `| \`${path}\` | ${spec.default} | on/off | | ${esc(spec.description)} | ${esc(spec.source)} | no |`
      : `| \`${path}\` | ${spec.default} | ${esc(spec.unit)} | ${spec.min} to ${spec.max} | ${esc(spec.description)} | ${esc(spec.source)} | ${spec.calibrated ? 'yes' : 'no'} |`,
  );
  return ['| parameter | default | unit | range | meaning | source | calibrated |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

/** docs/ODD.md with the table between the markers replaced. */
export function withTable(doc: string): string {
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error('docs/ODD.md: parameter table markers not found');
  return `${doc.slice(0, a + START.length)}\n${parameterTable()}\n${doc.slice(b)}`;
}

/** The path of docs/ODD.md. */
export function oddPath(): string {
  return join(packageRoot(), 'docs', 'ODD.md');
}

// Only when run as a script, never on import.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(oddPath(), withTable(readFileSync(oddPath(), 'utf8')));
  process.stdout.write(`wrote the parameter table of ${oddPath()}\n`);
}
