/**
 * The scenario-file validator (JSON Schema, ajv), compiled once at build time rather
 * than on every start: compiling the schema took about a sixth of `partnersim run`'s
 * start-up. `npm run build` writes dist/scenarios/scenario-validator.cjs (ajv's
 * standalone code) with a hash of the schema and ajv options it was made from; at run time that file
 * is used when its hash matches the schema built from sim/params.ts now, and ajv
 * compiles the schema as before when it is missing or stale, so a stale build can
 * never validate against an old schema.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { scenarioSchema } from './schema.js';
import { packageRoot } from './yaml-path.js';

// ajv is loaded only when the precompiled validator cannot be used (or to write it).
const load = createRequire(import.meta.url);
const OPTIONS = { allErrors: true, strict: false } as const;

/** Where the build writes the precompiled scenario validator. */
export function precompiledFile(): string {
  return precompiledFileFor('scenario');
}

let currentKey: string | undefined;
/** The hash of the scenario schema built from sim/params.ts now, with its ajv options (computed once per process). */
export function currentSchemaKey(): string {
  currentKey ??= keyOf(scenarioSchema(), OPTIONS);
  return currentKey;
}

/** The validator of scenario files: precompiled when current, else compiled now. */
export function scenarioValidator(file = precompiledFile()): ValidateFunction {
  return validatorFrom(file, currentSchemaKey(), scenarioSchema(), OPTIONS);
}

/** Source of the precompiled scenario validator (CommonJS, so it loads synchronously). */
export function validatorSource(): string {
  return precompiledSource(scenarioSchema(), OPTIONS);
}

/**
 * The same for other schemas (sweep and experiment files): `npm run build` writes
 * dist/scenarios/NAME-validator.cjs with a hash of the schema and ajv options it was
 * made from; at run time it is used when that hash matches, else ajv compiles the
 * schema as before. Compiling the sweep schema took seconds of a sweep's main thread
 * before any replication could start.
 */
export function precompiledFileFor(name: string): string {
  return join(packageRoot(), 'dist', 'scenarios', `${name}-validator.cjs`);
}

function keyOf(schema: unknown, options: object): string {
  return createHash('sha256').update(JSON.stringify([schema, options])).digest('hex');
}

/** A validator of `schema` with ajv `options`: the build's precompiled one when current, else compiled now. */
export function precompiledValidator(name: string, schema: object, options: object, file = precompiledFileFor(name)): ValidateFunction {
  return validatorFrom(file, keyOf(schema, options), schema, options);
}

/** The precompiled validator in `file` if its key is `key`, else `schema` compiled with ajv now. */
function validatorFrom(file: string, key: string, schema: object, options: object): ValidateFunction {
  if (existsSync(file)) {
    const pre = load(file) as ValidateFunction & { schemaKey?: string };
    if (pre.schemaKey === key) return pre;
  }
  const { Ajv } = load('ajv') as typeof import('ajv');
  return new Ajv(options).compile(schema);
}

/** Source of a precompiled validator of `schema` with ajv `options` (CommonJS). */
export function precompiledSource(schema: object, options: object): string {
  const { Ajv } = load('ajv') as typeof import('ajv');
  const standalone = (load('ajv/dist/standalone') as { default: (ajv: unknown, v: unknown) => string }).default;
  const ajv = new Ajv({ ...options, code: { source: true } });
  const code = standalone(ajv, ajv.compile(schema));
  return `${code}\nmodule.exports.schemaKey = ${JSON.stringify(keyOf(schema, options))};\n`;
}
