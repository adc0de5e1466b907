/**
 * The YAML parser and the schema validator's compiler, loaded on first use rather than
 * at import time: `partnersim run` of a built-in scenario needs neither (the build
 * parsed and validated the built-in files, scenarios/loader.ts), and loading them was
 * about a third of its start-up. Under Node they come from node_modules through
 * `require` (process.getBuiltinModule, so this file imports nothing from Node and
 * stays browser-safe); the workshop page, which bundles them, hands them over with
 * `provideLibs`.
 */
import type * as Yaml from 'yaml';
import type { Ajv } from 'ajv';

type Require = (id: string) => unknown;

let yaml: typeof Yaml | undefined;
let ajv: typeof Ajv | undefined;
let req: Require | null | undefined;

/** Give the libraries to use where Node's `require` is not available (a browser bundle). */
export function provideLibs(libs: { yaml?: typeof Yaml; Ajv?: typeof Ajv }): void {
  if (libs.yaml) yaml = libs.yaml;
  if (libs.Ajv) ajv = libs.Ajv;
}

function nodeRequire(what: string): Require {
  if (req === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const mod = proc?.getBuiltinModule?.('node:module') as { createRequire(from: string): Require } | undefined;
    req = mod ? mod.createRequire(import.meta.url) : null;
  }
  if (!req) throw new Error(`partnersim: no ${what} available (a browser bundle must call provideLibs)`);
  return req;
}

/** The `yaml` package. */
export function yamlLib(): typeof Yaml {
  yaml ??= nodeRequire('YAML parser')('yaml') as typeof Yaml;
  return yaml;
}

/** The `Ajv` class of the `ajv` package. */
export function ajvClass(): typeof Ajv {
  ajv ??= (nodeRequire('schema validator')('ajv') as { Ajv: typeof Ajv }).Ajv;
  return ajv;
}
