/**
 * Loads and validates scenario files (YAML or JSON), resolves `extends` chains, and
 * returns fully resolved parameters. Every problem becomes an InputError naming the
 * file, the field path and what was expected; unknown keys are errors (typo guard),
 * with a suggestion when a known key is close. The parsing, validation and chain
 * resolution live in resolve.ts (browser-safe); this module adds the file system.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve, dirname } from 'node:path';
import { InputError } from '../sim/errors.js';
import type { ValidateFunction } from 'ajv';
import { closest, parseScenarioText, resolveScenario, type Doc, type ResolvedScenario, type ScenarioHost } from './resolve.js';
import { currentSchemaKey, scenarioValidator } from './validator.js';
import { builtinDir, packageRoot } from './yaml-path.js';

export { canonicalJson, closest, DEFAULT_RUN, resolvedDocument, type ResolvedScenario, type RunSpec } from './resolve.js';

/** Names of the built-in scenarios, sorted. */
export function builtinNames(): string[] {
  return readdirSync(builtinDir())
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
    .sort();
}

/** Is `ref` a built-in scenario name? */
export function isBuiltin(ref: string): boolean {
  return /^[a-z0-9-]+$/.test(ref) && existsSync(join(builtinDir(), `${ref}.yaml`));
}

/** Path to the file `ref` names (built-in name or path), or an InputError. */
export function scenarioPath(ref: string, cwd: string): string {
  if (isBuiltin(ref)) return join(builtinDir(), `${ref}.yaml`);
  const p = isAbsolute(ref) ? ref : resolve(cwd, ref);
  if (existsSync(p) && statSync(p).isFile()) return p;
  const looksLikeFile = /[./\\]/.test(ref);
  const near = closest(ref, builtinNames());
  throw InputError.at(
    looksLikeFile ? ref : undefined,
    undefined,
    looksLikeFile
      ? `scenario file not found`
      : `unknown scenario '${ref}'${near ? ` (did you mean '${near}'?)` : ''}; built-in scenarios are: ${builtinNames().join(', ')}; or give the path of a .yaml or .json file`,
  );
}

let validator: ValidateFunction | null = null;
function validate(): ValidateFunction {
  // Made once per process on first use (no work at import time); precompiled by the build.
  if (!validator) validator = scenarioValidator();
  return validator;
}

/** Parse and validate one file (no extends resolution). */
export function readScenarioFile(file: string): Doc {
  return parseScenarioText(readText(file), file, validate);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw InputError.at(file, undefined, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * Built-in scenario files parsed and validated at build time (`npm run build` writes
 * dist/scenarios/builtin-docs.json), so starting `partnersim run` neither parses YAML
 * nor loads the validator for them. A built-in is served from there only when its text
 * is the very text parsed then and the schema's hash is the one it was validated
 * against; otherwise (a stale or missing build, an edited file) it is parsed as before.
 */
export function builtinDocsFile(): string {
  return join(packageRoot(), 'dist', 'scenarios', 'builtin-docs.json');
}

interface BuiltinDocs {
  schemaKey: string;
  files: Record<string, { text: string; doc: Doc }>;
}

/** The JSON the build writes: every built-in file's text and its parsed, validated document. */
export function builtinDocsSource(): string {
  const files: BuiltinDocs['files'] = {};
  for (const name of builtinNames()) {
    const file = join(builtinDir(), `${name}.yaml`);
    const text = readText(file);
    const doc = parseScenarioText(text, file, validate);
    if (jsonExact(doc)) files[`${name}.yaml`] = { text, doc };
  }
  return JSON.stringify({ schemaKey: currentSchemaKey(), files } satisfies BuiltinDocs);
}

/** Does JSON carry this value unchanged (no -0, NaN or infinities)? */
function jsonExact(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) return v.every(jsonExact);
  if (typeof v === 'object' && v !== null) return Object.values(v).every(jsonExact);
  return true;
}

let builtinDocs: BuiltinDocs | null | undefined;
/** The build's parsed document of a built-in file with exactly this text, or undefined. */
export function cachedBuiltinDoc(file: string, text: string): Doc | undefined {
  if (dirname(file) !== builtinDir()) return undefined;
  if (builtinDocs === undefined) {
    try {
      builtinDocs = JSON.parse(readFileSync(builtinDocsFile(), 'utf8')) as BuiltinDocs;
    } catch {
      builtinDocs = null;
    }
  }
  const hit = builtinDocs?.files[basename(file)];
  if (!hit || hit.text !== text || builtinDocs!.schemaKey !== currentSchemaKey()) return undefined;
  return structuredClone(hit.doc);
}

/** The file-system host: built-in names and paths (paths in `extends` are relative to the file that names them). */
export function fileHost(cwd: string): ScenarioHost {
  return {
    locate: (ref, from) => scenarioPath(ref, from === undefined ? cwd : dirname(from)),
    read: readText,
    sourceOf: (file) => (file.startsWith(builtinDir()) ? `builtin:${basename(file, '.yaml')}` : file),
    shortName: (file) => basename(file),
    hash: (text) => createHash('sha256').update(text).digest('hex'),
    validator: validate,
    parse: (text, file) => cachedBuiltinDoc(file, text) ?? parseScenarioText(text, file, validate),
  };
}

/**
 * Load a scenario by built-in name or path, resolving its `extends` chain
 * (paths in `extends` are relative to the file that names them).
 */
export function loadScenario(ref: string, cwd: string = process.cwd()): ResolvedScenario {
  return resolveScenario(ref, fileHost(cwd));
}
