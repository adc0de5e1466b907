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
import { builtinDir } from './yaml-path.js';
import { scenarioValidator } from './validator.js';

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

/** The file-system host: built-in names and paths (paths in `extends` are relative to the file that names them). */
export function fileHost(cwd: string): ScenarioHost {
  return {
    locate: (ref, from) => scenarioPath(ref, from === undefined ? cwd : dirname(from)),
    read: readText,
    sourceOf: (file) => (file.startsWith(builtinDir()) ? `builtin:${basename(file, '.yaml')}` : file),
    shortName: (file) => basename(file),
    hash: (text) => createHash('sha256').update(text).digest('hex'),
    validator: validate,
  };
}

/**
 * Load a scenario by built-in name or path, resolving its `extends` chain
 * (paths in `extends` are relative to the file that names them).
 */
export function loadScenario(ref: string, cwd: string = process.cwd()): ResolvedScenario {
  return resolveScenario(ref, fileHost(cwd));
}
