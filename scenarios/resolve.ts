/**
 * The browser-safe core of scenario loading: parse and validate one scenario text
 * against the schema, turn the first error into words, and resolve an `extends` chain
 * through a host that finds and reads files. The CLI's loader (loader.ts) supplies a
 * file-system host; the workshop page supplies the built-in scenarios as texts. Both
 * therefore give the same messages for the same file.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajvClass } from './libs.js';
import { InputError } from '../sim/errors.js';
import { canonicalJson } from './canonical.js';
import { defaultParams, type Params } from '../sim/params.js';
import { RUN_SETTINGS, scenarioSchema } from './schema.js';
import { hasOwn, parseYamlSafe, shortJson, visibleText } from './yaml-safe.js';

/** Run settings (the CLI's flags override them). */
export interface RunSpec {
  years: number;
  stepsPerYear: number;
  startYear: number;
  schools: number;
}

export const DEFAULT_RUN: RunSpec = {
  years: RUN_SETTINGS.years.default,
  stepsPerYear: RUN_SETTINGS.stepsPerYear.default,
  startYear: RUN_SETTINGS.startYear.default,
  schools: RUN_SETTINGS.schools.default,
};

export interface ResolvedScenario {
  name: string;
  description: string;
  /** `builtin:NAME` or the absolute path of the file. */
  source: string;
  /** The extends chain, most basic first, ending with this scenario. */
  chain: string[];
  params: Params;
  run: RunSpec;
  /** Calibration provenance, if the file has one. */
  calibration?: Record<string, unknown>;
  /** sha256 of the canonical JSON of params and run settings. */
  hash: string;
}

export type Doc = Record<string, unknown>;

let validator: ValidateFunction | null = null;
function validate(): ValidateFunction {
  // Compiled once per process on first use (no work at import time).
  if (!validator) validator = new (ajvClass())({ allErrors: true, strict: false }).compile(scenarioSchema());
  return validator;
}

/** Parse and validate one scenario text; `file` names it in messages (no extends resolution). */
export function parseScenarioText(text: string, file: string, validator: () => ValidateFunction = validate): Doc {
  const value: unknown = parseYamlSafe(text, file, /\.json$/.test(file) ? 'JSON/YAML' : 'YAML');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw InputError.at(file, undefined, 'expected a mapping of scenario keys (name, description, parameters, levers, ...)');
  }
  const v = validator();
  if (!v(value)) {
    // One message for the most useful error, named by its own field; any other distinct problems follow it.
    const errs = v.errors!;
    const main = pickError(errs);
    const others = [...new Set(errs.filter((e) => e !== main && e.keyword !== 'if' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf').map((e) => `${fieldOf(e)}: ${explainOne(e, value as Doc)}`))].filter((t) => t !== `${fieldOf(main)}: ${explainOne(main, value as Doc)}`);
    const also = others.length > 0 ? `; also ${others.slice(0, 3).join('; ')}${others.length > 3 ? `; and ${others.length - 3} more` : ''}` : '';
    throw InputError.at(file, fieldOf(main), explainOne(main, value as Doc) + also);
  }
  return value as Doc;
}

/** The error to lead with: an unknown key (the deepest), else the first. */
function pickError(errors: ErrorObject[]): ErrorObject {
  const unknown = errors.filter((x) => x.keyword === 'additionalProperties').sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
  return unknown ?? errors[0];
}

function fieldOf(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'additionalProperties') {
    const k = (e.params as { additionalProperty: string }).additionalProperty;
    return base ? `${base}.${k}` : k;
  }
  if (e.keyword === 'required') {
    const k = (e.params as { missingProperty: string }).missingProperty;
    return base ? `${base}.${k}` : k;
  }
  return base || '(top level)';
}

/** Turn one of ajv's errors into words. */
function explainOne(e: ErrorObject, doc: Doc): string {
  const schemaAt = (path: string): Doc | undefined => {
    let cur: Doc | undefined = scenarioSchema();
    for (const k of path.split('/').filter(Boolean)) cur = (cur?.properties as Doc | undefined)?.[k] as Doc | undefined;
    return cur;
  };
  const got = (): string => {
    let cur: unknown = doc;
    for (const k of e.instancePath.split('/').filter(Boolean)) cur = (cur as Doc)?.[k];
    return shortJson(cur);
  };
  switch (e.keyword) {
    case 'additionalProperties': {
      const k = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((schemaAt(e.instancePath)?.properties as Doc) ?? {});
      const near = closest(k, known);
      return `unknown key '${k}'${near ? ` (did you mean '${near}'?)` : ''}; expected one of: ${known.join(', ')}`;
    }
    case 'required':
      return `missing required key; expected '${(e.params as { missingProperty: string }).missingProperty}'`;
    case 'type':
      return `expected ${article((e.params as { type: string }).type)}, got ${got()}`;
    case 'minimum':
    case 'maximum': {
      const s = schemaAt(e.instancePath);
      const unit = typeof s?.description === 'string' ? /Unit: ([^.]*)\./.exec(s.description)?.[1] : undefined;
      return `expected a value from ${s?.minimum} to ${s?.maximum}${unit ? ` (${unit})` : ''}, got ${got()}`;
    }
    case 'const':
      return `expected ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}, got ${got()}`;
    default:
      return `${e.message ?? 'invalid value'}, got ${got()}`;
  }
}

function article(t: string): string {
  if (t === 'integer') return 'a whole number';
  if (t === 'object') return 'a mapping';
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** The closest known key within edit distance 3, if any. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

export function merge(base: Doc, over: Doc): Doc {
  const out: Doc = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = hasOwn(out, k) ? out[k] : undefined;
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof b === 'object' && b !== null ? merge(b as Doc, v as Doc) : v;
  }
  return out;
}

export { canonicalJson };

/** Where scenario files come from: the file system (CLI) or texts held in memory (workshop page). */
export interface ScenarioHost {
  /** The file `ref` names (a built-in name or a path, relative to `from` if given), or an InputError. */
  locate(ref: string, from?: string): string;
  /** The text of a located file, or an InputError naming it. */
  read(file: string): string;
  /** `builtin:NAME` for built-in files, else the file itself. */
  sourceOf(file: string): string;
  /** A short name for the file in chain messages. */
  shortName(file: string): string;
  /** The schema validator (the CLI's is precompiled at build time); default: the schema compiled with ajv on first use. */
  validator?: () => ValidateFunction;
  /** Parse and validate a located file's text (the CLI's serves built-in files parsed at build time); default: parseScenarioText with `validator`. */
  parse?: (text: string, file: string) => Doc;
  /** sha256 hex of a string (the CLI's manifest hash); '' where not available. */
  hash(text: string): string;
}

/** Longest `extends` chain followed. */
const MAX_EXTENDS = 32;

/** Resolve a scenario and its `extends` chain through `host` into parameters and run settings. */
export function resolveScenario(ref: string, host: ScenarioHost): ResolvedScenario {
  const seen: string[] = [];
  const layers: { doc: Doc; source: string }[] = [];
  let file = host.locate(ref);
  for (;;) {
    if (seen.length >= MAX_EXTENDS) throw InputError.at(file, 'extends', `extends chain longer than ${MAX_EXTENDS} files; expected a shorter chain`);
    if (seen.includes(file)) throw InputError.at(file, 'extends', `circular extends chain: ${[...seen, file].map((f) => host.shortName(f)).join(' -> ')}`);
    seen.push(file);
    const text = host.read(file);
    const doc = host.parse ? host.parse(text, file) : parseScenarioText(text, file, host.validator);
    layers.unshift({ doc, source: file });
    const ext = doc.extends;
    if (typeof ext !== 'string') break;
    try {
      file = host.locate(ext, file);
    } catch (e) {
      if (e instanceof InputError) throw InputError.at(layers[0].source, 'extends', e.message);
      throw e;
    }
  }
  let merged: Doc = { parameters: {}, levers: {} };
  for (const l of layers) merged = merge(merged, l.doc);
  const defaults = defaultParams() as unknown as Doc;
  const { levers: defaultLevers, ...defaultGroups } = defaults;
  const params = {
    ...(merge(defaultGroups, merged.parameters as Doc) as Doc),
    levers: merge(defaultLevers as Doc, merged.levers as Doc),
  } as unknown as Params;
  const run: RunSpec = { ...DEFAULT_RUN };
  for (const k of Object.keys(DEFAULT_RUN) as (keyof RunSpec)[]) if (typeof merged[k] === 'number') run[k] = merged[k] as number;
  const top = layers[layers.length - 1];
  return {
    name: visibleText(String(top.doc.name)),
    description: visibleText(String(top.doc.description), false).trim(),
    source: host.sourceOf(top.source),
    chain: layers.map((l) => visibleText(String(l.doc.name))),
    params,
    run,
    calibration: merged.calibration as Record<string, unknown> | undefined,
    hash: host.hash(canonicalJson({ params, run })),
  };
}

/** The resolved scenario as a plain document (for `scenarios show`, manifests and the workshop's download). */
export function resolvedDocument(s: ResolvedScenario): Doc {
  const { levers, ...parameters } = s.params as unknown as Doc;
  return {
    version: 1,
    name: s.name,
    description: s.description,
    ...s.run,
    parameters,
    levers,
    ...(s.calibration ? { calibration: s.calibration } : {}),
  };
}
