/**
 * Loads and validates sweep files (YAML or JSON; issue 6) before any work: the JSON
 * Schema (scenarios/sweep-schema.ts) first, then the checks a schema cannot say
 * (a grid needs levels, a range must run upwards, a log range starts above 0, the
 * plan must fit). Every problem is an InputError naming the file, the field and
 * what was expected; unknown keys and unknown parameter paths are errors, with a
 * suggestion when a known one is close. The base scenario is resolved relative to
 * the sweep file, and the sweep's hash covers everything that decides its results.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InputError } from '../sim/errors.js';
import { METRIC_IDS } from '../sim/metrics.js';
import { listSpecs, specAt, type NumSpec } from '../sim/params.js';
import { SALTELLI_MAX_PARAMETERS } from '../analysis/sensitivity/designs.js';
import { canonicalJson, closest, loadScenario, type ResolvedScenario, type RunSpec } from './loader.js';
import { parseYamlSafe, shortJson, visibleText } from './yaml-safe.js';
import { precompiledValidator } from './validator.js';
import { DESIGN_KEYS, DESIGN_TYPES, SWEEP_LIMITS, SWEEP_VERSION, sweepSchema, type DesignType } from './sweep-schema.js';

/** A parameter value in a sweep: numbers, or on/off for a lever's `enabled`. */
export type ParamValue = number | boolean;

/** A continuous range (lhs, sobol and morris designs). */
export interface SweepRange {
  min: number;
  max: number;
  log: boolean;
  integer: boolean;
}

/** One swept parameter: a dotted path into the parameter table with levels or a range. */
export interface SweepParameter {
  path: string;
  kind: 'number' | 'boolean';
  levels?: ParamValue[];
  range?: SweepRange;
}

/** The experimental design, with defaults filled in. */
export type SweepDesign =
  | { type: 'grid' }
  | { type: 'lhs'; points: number }
  | { type: 'sobol'; n: number }
  | { type: 'morris'; trajectories: number; levels: number };

/** Run settings a sweep may override. */
export interface SweepRunOverrides {
  years?: number;
  schools?: number;
  stepsPerYear?: number;
}

/** A validated sweep file, defaults applied. */
export interface SweepSpec {
  version: number;
  name: string;
  description: string;
  /** The base scenario as written (built-in name or path relative to the sweep file). */
  scenario: string;
  seed: number | string;
  run: SweepRunOverrides;
  /** In file order: the order of design columns and of result columns. */
  parameters: SweepParameter[];
  design: SweepDesign;
  replications: number;
  /** Outcome ids kept, in METRICS order unless the file gives an order. */
  outcomes: string[];
}

/** A sweep ready to plan: the spec, its base scenario, run settings and hash. */
export interface LoadedSweep {
  /** Absolute path of the sweep file. */
  file: string;
  /** The file's text, stored with the results. */
  text: string;
  spec: SweepSpec;
  base: ResolvedScenario;
  run: RunSpec;
  /** sha256 over everything that decides the results (see {@link sweepHash}). */
  hash: string;
}

type Doc = Record<string, unknown>;

/** ajv options of the sweep validator (precompiled by the build, scenarios/validator.ts). */
// inlineRefs false: each parameter's shared definition is compiled once and called, not
// copied into every parameter's check (the precompiled sweep validator was about 2 MB of code,
// which cost a few hundred milliseconds to load and compile before a sweep could start).
export const VALIDATOR_OPTIONS = { allErrors: true, strict: false, verbose: true, inlineRefs: false } as const;

let validator: ValidateFunction | null = null;
function validate(): ValidateFunction {
  // Compiled once per process on first use (no work at import time).
  if (!validator) validator = precompiledValidator('sweep', sweepSchema(), VALIDATOR_OPTIONS);
  return validator;
}

/** Every parameter path a sweep may vary, in table order. */
export function sweepablePaths(): string[] {
  return listSpecs().map((s) => s.path);
}

/** The nearest known parameter path: by spelling, else by its last parts (`share` -> `levers.fundingWithdrawn.share`). */
export function suggestPath(path: string): string | undefined {
  const all = sweepablePaths();
  const near = closest(path, all);
  if (near) return near;
  const tail = all.filter((p) => p.endsWith(`.${path}`) || p.toLowerCase().endsWith(`.${path.toLowerCase()}`));
  if (tail.length > 0) return tail[0];
  const last = path.split('.').pop() ?? path;
  const byLast = all.filter((p) => p.split('.').pop() === last);
  return byLast.length === 1 ? byLast[0] : undefined;
}

/** JSON pointer to a readable field: /parameters/trust.gain/levels/0 -> parameters.trust.gain.levels[0]. */
function fieldOfPointer(pointer: string, extra?: string): string {
  const parts = pointer.split('/').filter(Boolean);
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || '(top level)';
}

function valueAt(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const k of pointer.split('/').filter(Boolean)) cur = (cur as Doc | undefined)?.[k];
  return cur;
}

function show(v: unknown): string {
  return shortJson(v);
}

/** What is wrong with a design mapping, in words (undefined when nothing the schema words worse). */
export function designProblem(design: unknown): string | undefined {
  const example = 'expected a mapping such as {type: grid}, {type: lhs, points: 50}, {type: sobol, n: 256} or {type: morris, trajectories: 20}';
  if (typeof design !== 'object' || design === null || Array.isArray(design)) return example;
  const d = design as Doc;
  if (d.type === undefined) return `missing 'type'; ${example}`;
  if (typeof d.type !== 'string' || !(DESIGN_TYPES as readonly string[]).includes(d.type)) {
    const near = typeof d.type === 'string' ? closest(d.type, [...DESIGN_TYPES]) : undefined;
    return `unknown design type ${show(d.type)}${near ? ` (did you mean '${near}'?)` : ''}; expected one of: ${DESIGN_TYPES.join(', ')}`;
  }
  const t = d.type as DesignType;
  const keys = DESIGN_KEYS[t];
  const allowed = ['type', ...keys.required, ...keys.optional];
  for (const k of Object.keys(d)) {
    if (!allowed.includes(k)) return `a ${t} design does not take '${k}'; expected only: ${allowed.join(', ')}`;
  }
  for (const k of keys.required) {
    if (d[k] === undefined) return `a ${t} design needs '${k}' (${DESIGN_HELP[t]})`;
  }
  return undefined;
}

const DESIGN_HELP: Record<DesignType, string> = {
  grid: 'every combination of the parameters\' levels',
  lhs: 'points: how many Latin hypercube points, e.g. {type: lhs, points: 50}',
  sobol: 'n: base rows of the Saltelli design, a power of two such as 256; the design has n x (parameters + 2) points',
  morris: 'trajectories: how many Morris trajectories, e.g. {type: morris, trajectories: 20, levels: 4}',
};

/** Turn ajv's most useful error into words and a field. */
function explain(errors: ErrorObject[], doc: Doc): { field: string; problem: string } {
  // An unknown key says most; then the deepest error (the generic ones sit higher up).
  const unknown = errors.filter((e) => e.keyword === 'additionalProperties').sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
  // The seed's anyOf reports each branch's failure too: word it once.
  const seed = errors.find((x) => x.instancePath === '/seed' && x.keyword === 'anyOf');
  const e = unknown ?? seed ?? [...errors].sort((a, b) => depth(b) - depth(a))[0];
  const at = e.instancePath;
  if (at === '/design' || at.startsWith('/design/')) {
    const p = designProblem(doc.design);
    if (p) return { field: 'design', problem: p };
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const k = (e.params as { additionalProperty: string }).additionalProperty;
      const field = fieldOfPointer(at, k);
      if (at === '/parameters') {
        const near = suggestPath(k);
        return {
          field,
          problem: `unknown parameter '${k}'${near ? ` (did you mean '${near}'?)` : ''}; expected a dotted path into the parameter table, such as trust.gain or levers.fundingWithdrawn.share (see \`partnersim scenarios show baseline\`)`,
        };
      }
      const known = Object.keys(((e.parentSchema as Doc | undefined)?.properties as Doc | undefined) ?? {});
      const near = closest(k, known);
      return { field, problem: `unknown key '${k}'${near ? ` (did you mean '${near}'?)` : ''}; expected one of: ${known.join(', ')}` };
    }
    case 'required': {
      const k = (e.params as { missingProperty: string }).missingProperty;
      if (/^\/parameters\/[^/]+$/.test(at)) return { field: fieldOfPointer(at), problem: `expected levels: [false, true] (or one of them to fix it), got ${show(valueAt(doc, at))}` };
      return { field: fieldOfPointer(at, k), problem: `missing required key '${k}'${at === '' ? `; a sweep needs ${['name', 'description', 'scenario', 'parameters', 'design'].join(', ')}` : ''}` };
    }
    case 'minProperties':
    case 'maxProperties':
      if (at === '/parameters') return { field: 'parameters', problem: 'expected at least one parameter to vary, e.g. trust.gain: {levels: [0.03, 0.06, 0.12]}' };
      return { field: fieldOfPointer(at), problem: `expected either levels: [...] or range: {min, max}, exactly one of them, got ${show(valueAt(doc, at))}` };
    case 'minimum':
    case 'maximum': {
      const s = e.parentSchema as Doc;
      const m = /^\/parameters\/([^/]+)\//.exec(at);
      if (m) {
        const spec = specAt(m[1]) as NumSpec;
        return { field: fieldOfPointer(at), problem: `expected a value from ${spec.min} to ${spec.max} (the range of ${m[1]} in the parameter table; unit: ${spec.unit}), got ${show(e.data)}` };
      }
      return { field: fieldOfPointer(at), problem: `expected a value from ${s.minimum} to ${s.maximum}, got ${show(e.data)}` };
    }
    case 'type': {
      const t = (e.params as { type: string }).type;
      return { field: fieldOfPointer(at), problem: `expected ${article(t)}, got ${show(e.data)}` };
    }
    case 'anyOf':
      if (at === '/seed') return { field: 'seed', problem: `expected a whole number from 0 (or a short word of letters and digits), got ${show(e.data)}` };
      break;
    case 'enum': {
      if (/^\/outcomes\/\d+$/.test(at)) {
        const word = typeof e.data === 'string' ? e.data : '';
        const near = METRIC_IDS.find((id) => word !== '' && id.startsWith(word)) ?? (word ? closest(word, [...METRIC_IDS]) : undefined);
        return { field: fieldOfPointer(at), problem: `unknown outcome ${show(e.data)}${near ? ` (did you mean '${near}'?)` : ''}; expected one of: ${METRIC_IDS.join(', ')}` };
      }
      break;
    }
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      return { field: fieldOfPointer(at), problem: `items ${Math.min(i, j)} and ${Math.max(i, j)} are the same (${show((e.data as unknown[])[i])}); expected distinct values` };
    }
    case 'minItems':
      return { field: fieldOfPointer(at), problem: `expected at least ${(e.params as { limit: number }).limit} value(s), got none` };
    case 'maxItems':
      return { field: fieldOfPointer(at), problem: `expected at most ${(e.params as { limit: number }).limit} values` };
    case 'const':
      return { field: fieldOfPointer(at), problem: `expected ${show((e.params as { allowedValue: unknown }).allowedValue)}, got ${show(e.data)}` };
    case 'minLength':
      return { field: fieldOfPointer(at), problem: 'expected a non-empty text' };
    case 'multipleOf':
      return { field: fieldOfPointer(at), problem: `expected a multiple of ${(e.params as { multipleOf: number }).multipleOf}, got ${show(e.data)}` };
    default:
      break;
  }
  return { field: fieldOfPointer(at), problem: `${e.message ?? 'invalid value'}, got ${show(e.data)}` };
}

function depth(e: ErrorObject): number {
  return e.instancePath.split('/').length * 10 + (e.keyword === 'if' || e.keyword === 'anyOf' ? 0 : 1);
}

function article(t: string): string {
  if (t === 'integer') return 'a whole number';
  if (t === 'object') return 'a mapping';
  if (t === 'array') return 'a list';
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** Parse and validate sweep text (no file access beyond the name used in messages). */
export function parseSweepText(text: string, file: string): SweepSpec {
  const value: unknown = parseYamlSafe(text, file, extname(file) === '.json' ? 'JSON/YAML' : 'YAML');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw InputError.at(file, undefined, 'expected a mapping of sweep keys (name, description, scenario, parameters, design, replications, ...)');
  }
  const doc = value as Doc;
  const v = validate();
  if (!v(doc)) {
    const { field, problem } = explain(v.errors!, doc);
    throw InputError.at(file, field, problem);
  }
  // A design that passes the schema may still be worded badly by it (if/then): check it ourselves too.
  const dp = designProblem(doc.design);
  if (dp) throw InputError.at(file, 'design', dp);
  return checkSemantics(normalise(doc), file);
}

function normalise(doc: Doc): SweepSpec {
  const params = doc.parameters as Record<string, Doc>;
  const parameters: SweepParameter[] = Object.entries(params).map(([path, p]) => {
    const spec = specAt(path)!;
    const kind = spec.kind;
    if (p.levels !== undefined) return { path, kind, levels: (p.levels as ParamValue[]).slice() };
    const r = p.range as Doc;
    const integer = r.integer === undefined ? spec.kind === 'number' && spec.integer === true : Boolean(r.integer);
    return { path, kind, range: { min: r.min as number, max: r.max as number, log: Boolean(r.log), integer } };
  });
  const d = doc.design as Doc;
  let design: SweepDesign;
  switch (d.type as DesignType) {
    case 'grid':
      design = { type: 'grid' };
      break;
    case 'lhs':
      design = { type: 'lhs', points: d.points as number };
      break;
    case 'sobol':
      design = { type: 'sobol', n: d.n as number };
      break;
    case 'morris':
      design = { type: 'morris', trajectories: d.trajectories as number, levels: (d.levels as number | undefined) ?? 4 };
      break;
  }
  const run: SweepRunOverrides = {};
  for (const k of ['years', 'schools', 'stepsPerYear'] as const) {
    const x = (doc.run as Doc | undefined)?.[k];
    if (typeof x === 'number') run[k] = x;
  }
  return {
    version: (doc.version as number | undefined) ?? SWEEP_VERSION,
    name: visibleText(String(doc.name)),
    description: visibleText(String(doc.description), false).trim(),
    scenario: String(doc.scenario),
    seed: (doc.seed as number | string | undefined) ?? 1,
    run,
    parameters,
    design,
    replications: (doc.replications as number | undefined) ?? 1,
    outcomes: (doc.outcomes as string[] | undefined)?.slice() ?? [...METRIC_IDS],
  };
}

/** Parameters whose value changes across the design (one level = held fixed). */
export function variedParameters(spec: Pick<SweepSpec, 'parameters'>): SweepParameter[] {
  return spec.parameters.filter((p) => !(p.levels && p.levels.length === 1));
}

/** Number of design points (before removing repeats) and runs the spec asks for. */
export function planSize(spec: SweepSpec): { points: number; runs: number } {
  const d = variedParameters(spec).length;
  let points: number;
  switch (spec.design.type) {
    case 'grid':
      points = spec.parameters.reduce((n, p) => n * (p.levels?.length ?? 1), 1);
      break;
    case 'lhs':
      points = spec.design.points;
      break;
    case 'sobol':
      points = spec.design.n * (d + 2);
      break;
    case 'morris':
      points = spec.design.trajectories * (d + 1);
      break;
  }
  return { points, runs: points * spec.replications };
}

function checkSemantics(spec: SweepSpec, file: string): SweepSpec {
  for (const p of spec.parameters) {
    const field = `parameters.${p.path}`;
    const ps = specAt(p.path)!;
    if (p.range) {
      const r = p.range;
      if (!(r.min < r.max)) throw InputError.at(file, `${field}.range`, `expected min below max, got min ${r.min} and max ${r.max} (to hold a parameter fixed, give levels: [${r.min}])`);
      if (r.log && !(r.min > 0)) throw InputError.at(file, `${field}.range.min`, `a log range needs min above 0, got ${r.min}`);
      if (ps.kind === 'number' && ps.integer && !r.integer) throw InputError.at(file, `${field}.range.integer`, `${p.path} takes whole numbers only; expected integer: true (or leave it out)`);
      if (r.integer && (!Number.isInteger(r.min) || !Number.isInteger(r.max))) throw InputError.at(file, `${field}.range`, `an integer range needs whole-number ends, got min ${r.min} and max ${r.max}`);
      if (spec.design.type === 'grid') {
        throw InputError.at(file, `${field}.range`, `a grid design needs levels for every parameter; list the values of ${p.path} as levels: [...], or use an lhs, sobol or morris design for ranges`);
      }
    }
  }
  const varied = variedParameters(spec);
  const t = spec.design.type;
  if (t !== 'grid' && varied.length === 0) {
    throw InputError.at(file, 'parameters', `a ${t} design needs at least one parameter that varies (a range, or two or more levels)`);
  }
  if (t === 'sobol' && varied.length > SALTELLI_MAX_PARAMETERS) {
    throw InputError.at(file, 'parameters', `a sobol design supports at most ${SALTELLI_MAX_PARAMETERS} varied parameters, got ${varied.length}; screen them first with a morris design`);
  }
  const size = planSize(spec);
  if (size.runs > SWEEP_LIMITS.runs) {
    throw InputError.at(file, 'design', `the plan has ${size.runs.toLocaleString('en-GB')} runs (${size.points.toLocaleString('en-GB')} points x ${spec.replications} replications); expected at most ${SWEEP_LIMITS.runs.toLocaleString('en-GB')}`);
  }
  return spec;
}

/** Parse and validate one sweep file (no base-scenario resolution). */
export function readSweepFile(file: string): { spec: SweepSpec; text: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw InputError.at(file, undefined, `cannot read the sweep file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return { spec: parseSweepText(text, file), text };
}

/** Run settings of the sweep: the base scenario's, overridden by the sweep's `run`. */
export function sweepRun(spec: SweepSpec, base: ResolvedScenario): RunSpec {
  return { ...base.run, ...spec.run };
}

/**
 * The sweep's hash: sha256 of the canonical JSON of everything that decides its
 * results (format version, name, seed, parameters, design, replications, outcomes,
 * the base scenario's resolved parameters and the run settings). The description
 * and where the files live are left out, so moving or re-wording a sweep does not
 * orphan its results.
 */
export function sweepHash(spec: SweepSpec, baseParams: unknown, run: RunSpec): string {
  const { description: _d, scenario: _s, run: _r, ...rest } = spec;
  return createHash('sha256').update(canonicalJson({ ...rest, base: { params: baseParams, run } })).digest('hex');
}

/** Load a sweep file: validate it, resolve its base scenario (relative to the file) and hash it. */
export function loadSweep(ref: string, cwd: string = process.cwd()): LoadedSweep {
  const file = isAbsolute(ref) ? ref : resolve(cwd, ref);
  if (!existsSync(file) || !statSync(file).isFile()) throw InputError.at(ref, undefined, 'sweep file not found; expected a .yaml or .json sweep file (see scenarios/sweeps/)');
  const { spec, text } = readSweepFile(file);
  let base: ResolvedScenario;
  try {
    base = loadScenario(spec.scenario, dirname(file));
  } catch (e) {
    if (e instanceof InputError) throw InputError.at(file, 'scenario', e.message);
    throw e;
  }
  const run = sweepRun(spec, base);
  return { file, text, spec, base, run, hash: sweepHash(spec, base.params, run) };
}
