/**
 * Loads and validates robust-decision experiment files (YAML or JSON; issue 15)
 * before any work, in the sweep files' error style: the JSON Schema
 * (scenarios/experiment-schema.ts) first, then what a schema cannot say (ranges
 * run upwards, policy names are distinct, the plan fits). Every problem is an
 * InputError "FILE: FIELD: what is wrong; what was expected". Policies are
 * resolved to full parameter sets here (built-in names and files relative to the
 * experiment file; inline lever sets on top of the base scenario), so a results
 * folder can be re-planned from what it stores, without the files.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { InputError } from '../sim/errors.js';
import { METRIC_IDS } from '../sim/metrics.js';
import { specAt, type NumSpec, type Params } from '../sim/params.js';
import { canonicalJson, closest, loadScenario, type ResolvedScenario, type RunSpec } from './loader.js';
import { suggestPath, type SweepRange } from './sweep-loader.js';
import { precompiledValidator } from './validator.js';
import { COST_PER_POINT_ID, EXPERIMENT_LIMITS, EXPERIMENT_OUTCOMES, EXPERIMENT_VERSION, experimentSchema, type SamplingType } from './experiment-schema.js';

/** The counterfactual arm cost_per_point is measured against. */
export const NO_PARTNERING = 'no-partnering';

/** Outcomes judged when the file names none. */
export const DEFAULT_OUTCOMES = ['attainment_mean', 'fsm_gap', 'money_cost'] as const;

/** One uncertain parameter and its range. */
export interface Uncertainty {
  path: string;
  range: SweepRange;
}

/** A policy (or the counterfactual) resolved to its parameters. */
export interface Arm {
  name: string;
  description: string;
  /** `builtin:NAME`, a file path, or `inline`. */
  source: string;
  /** policy: compared; counterfactual: run only to measure cost_per_point. */
  role: 'policy' | 'counterfactual';
  params: Params;
}

/** Import options for a real-schools world, paths absolute. */
export interface ExperimentWorld {
  schoolsFile: string;
  ks4?: string;
  ofsted?: string;
  columns?: string;
  la?: string[];
}

/** A validated experiment, policies resolved, --quick applied if asked. */
export interface ExperimentSpec {
  kind: 'robust';
  version: number;
  name: string;
  description: string;
  seed: number | string;
  /** Name of the reference policy (the status quo effects are measured against). */
  reference: string;
  /** Policies first (in file order, the reference included), then the counterfactual if needed. */
  arms: Arm[];
  uncertainties: Uncertainty[];
  sampling: { type: SamplingType; points: number };
  replications: number;
  run: RunSpec;
  /** Outcomes judged (may include cost_per_point), in file order. */
  outcomes: string[];
  /** Raw metrics each run stores (the judged ones, and what cost_per_point needs). */
  stored: string[];
  quick: boolean;
  world?: ExperimentWorld;
  /** The discovery question the report answers (`discover:` in the file). */
  discover?: { policy: string; where: string };
}

/** A loaded experiment: spec, file text and hash. */
export interface LoadedExperiment {
  file: string;
  text: string;
  spec: ExperimentSpec;
  /** The base scenario (inline policies and defaults). */
  base: ResolvedScenario;
  hash: string;
}

type Doc = Record<string, unknown>;

/** ajv options of the experiment validator (precompiled by the build, scenarios/validator.ts). */
// inlineRefs false: each parameter's shared definition is compiled once and called, not
// copied into every parameter's check (the precompiled experiment validator was about 2 MB of code,
// which cost a few hundred milliseconds to load and compile before a experiment could start).
export const VALIDATOR_OPTIONS = { allErrors: true, strict: false, verbose: true, inlineRefs: false } as const;

let validator: ValidateFunction | null = null;
function validate(): ValidateFunction {
  if (!validator) validator = precompiledValidator('experiment', experimentSchema(), VALIDATOR_OPTIONS);
  return validator;
}

function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

function fieldOf(pointer: string, extra?: string): string {
  const parts = pointer.split('/').filter(Boolean);
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || '(top level)';
}

function article(t: string): string {
  if (t === 'integer') return 'a whole number';
  if (t === 'object') return 'a mapping';
  if (t === 'array') return 'a list';
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

const REQUIRED_TOP = ['name', 'description', 'policies', 'uncertainties', 'sampling'];

/** Turn ajv's most telling error into a field and words. */
function explain(errors: ErrorObject[]): { field: string; problem: string } {
  const depth = (e: ErrorObject): number => e.instancePath.split('/').length * 10 + (e.keyword === 'anyOf' || e.keyword === 'if' ? 0 : 1);
  const unknown = errors.filter((e) => e.keyword === 'additionalProperties').sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
  const policy = errors.find((e) => /^\/policies\/\d+$/.test(e.instancePath) && e.keyword === 'anyOf');
  const e = unknown ?? (policy && !errors.some((x) => x.instancePath.startsWith(`${policy.instancePath}/`)) ? policy : undefined) ?? [...errors].sort((a, b) => depth(b) - depth(a))[0];
  const at = e.instancePath;
  switch (e.keyword) {
    case 'additionalProperties': {
      const k = (e.params as { additionalProperty: string }).additionalProperty;
      if (at === '/uncertainties') {
        const near = suggestPath(k);
        const lever = k.startsWith('levers.');
        return {
          field: fieldOf(at, k),
          problem: lever
            ? `'${k}' is a policy lever, not an uncertainty; put levers in a policy (policies: [{name: ..., levers: {...}}])`
            : `unknown parameter '${k}'${near ? ` (did you mean '${near}'?)` : ''}; expected a dotted path into the parameter table, such as trust.gain or effects.attainmentPerYear (see \`partnersim scenarios show baseline\`)`,
        };
      }
      const known = Object.keys(((e.parentSchema as Doc | undefined)?.properties as Doc | undefined) ?? {});
      const near = closest(k, known);
      return { field: fieldOf(at, k), problem: `unknown key '${k}'${near ? ` (did you mean '${near}'?)` : ''}; expected one of: ${known.join(', ')}` };
    }
    case 'required': {
      const k = (e.params as { missingProperty: string }).missingProperty;
      return { field: fieldOf(at, k), problem: `missing required key '${k}'${at === '' ? `; an experiment needs ${REQUIRED_TOP.join(', ')}` : ''}` };
    }
    case 'anyOf':
      if (/^\/policies\/\d+$/.test(at)) return { field: fieldOf(at), problem: `expected a built-in scenario name, a scenario file, or {name: NAME, levers: {...}}, got ${show(e.data)}` };
      if (at === '/seed') return { field: 'seed', problem: `expected a whole number (or a short word of letters and digits), got ${show(e.data)}` };
      break;
    case 'minimum':
    case 'maximum': {
      const m = /^\/uncertainties\/([^/]+)\//.exec(at);
      if (m) {
        const spec = specAt(m[1]) as NumSpec;
        return { field: fieldOf(at), problem: `expected a value from ${spec.min} to ${spec.max} (the range of ${m[1]} in the parameter table; unit: ${spec.unit}), got ${show(e.data)}` };
      }
      const s = e.parentSchema as Doc;
      return { field: fieldOf(at), problem: `expected a value from ${s.minimum} to ${s.maximum}, got ${show(e.data)}` };
    }
    case 'type':
      return { field: fieldOf(at), problem: `expected ${article((e.params as { type: string }).type)}, got ${show(e.data)}` };
    case 'enum': {
      if (/^\/outcomes\/\d+$/.test(at)) {
        const w = typeof e.data === 'string' ? e.data : '';
        const near = w ? closest(w, [...EXPERIMENT_OUTCOMES]) : undefined;
        return { field: fieldOf(at), problem: `unknown outcome ${show(e.data)}${near ? ` (did you mean '${near}'?)` : ''}; expected one of: ${EXPERIMENT_OUTCOMES.join(', ')}` };
      }
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      return { field: fieldOf(at), problem: `expected one of: ${allowed.join(', ')}, got ${show(e.data)}` };
    }
    case 'pattern':
      return { field: fieldOf(at), problem: `expected letters, digits, '-', '_' or '.' (at most 64, starting with a letter or digit), got ${show(e.data)}` };
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      return { field: fieldOf(at), problem: `items ${Math.min(i, j)} and ${Math.max(i, j)} are the same; expected distinct values` };
    }
    case 'minItems':
    case 'minProperties':
      return { field: fieldOf(at), problem: at === '/uncertainties' ? 'expected at least one uncertain parameter, e.g. trust.gain: {range: {min: 0.03, max: 0.12}}' : 'expected at least one entry, got none' };
    case 'maxItems':
      return { field: fieldOf(at), problem: `expected at most ${(e.params as { limit: number }).limit} entries` };
    case 'const':
      return { field: fieldOf(at), problem: `expected ${show((e.params as { allowedValue: unknown }).allowedValue)}, got ${show(e.data)}` };
    case 'minLength':
      return { field: fieldOf(at), problem: 'expected a non-empty text' };
    default:
      break;
  }
  return { field: fieldOf(at), problem: `${e.message ?? 'invalid value'}, got ${show(e.data)}` };
}

/** Parse and schema-check experiment text (no file access beyond the name used in messages). */
export function parseExperimentText(text: string, file: string): Doc {
  const lines = new LineCounter();
  const parsed = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  if (parsed.errors.length > 0) {
    const err = parsed.errors[0];
    const pos = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
    throw InputError.at(file, pos ? `line ${pos.line}, column ${pos.col}` : undefined, `not valid ${extname(file) === '.json' ? 'JSON/YAML' : 'YAML'}: ${err.message.split('\n')[0]}`);
  }
  const value: unknown = parsed.toJS();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw InputError.at(file, undefined, `expected a mapping of experiment keys (${REQUIRED_TOP.join(', ')}, ...)`);
  }
  const v = validate();
  if (!v(value)) {
    const { field, problem } = explain(v.errors!);
    throw InputError.at(file, field, problem);
  }
  return value as Doc;
}

function merge(base: Doc, over: Doc): Doc {
  const out: Doc = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof b === 'object' && b !== null ? merge(b as Doc, v as Doc) : v;
  }
  return out;
}

function scenarioArm(ref: string, dir: string, file: string, field: string): Arm {
  let sc: ResolvedScenario;
  try {
    sc = loadScenario(ref, dir);
  } catch (e) {
    if (e instanceof InputError) throw InputError.at(file, field, e.message);
    throw e;
  }
  return { name: sc.name, description: sc.description, source: sc.source, role: 'policy', params: sc.params };
}

/**
 * Resolve a schema-valid experiment document: policies, reference, uncertainties,
 * run settings and (with `quick`) the quick variant; then the semantic checks.
 */
export function resolveExperiment(doc: Doc, file: string, opts: { quick?: boolean } = {}): { spec: ExperimentSpec; base: ResolvedScenario } {
  const dir = dirname(file);
  const baseRef = (doc.scenario as string | undefined) ?? 'baseline';
  let base: ResolvedScenario;
  try {
    base = loadScenario(baseRef, dir);
  } catch (e) {
    if (e instanceof InputError) throw InputError.at(file, 'scenario', e.message);
    throw e;
  }
  // 1 policies
  const arms: Arm[] = (doc.policies as unknown[]).map((p, i) => {
    const field = `policies[${i}]`;
    if (typeof p === 'string') return scenarioArm(p, dir, file, field);
    const d = p as Doc;
    const params = structuredClone(base.params);
    (params as unknown as Doc).levers = merge((params as unknown as Doc).levers as Doc, (d.levers as Doc | undefined) ?? {});
    return { name: String(d.name), description: String(d.description ?? `${base.name} with ${Object.keys((d.levers as Doc) ?? {}).join(', ')}`).trim(), source: 'inline', role: 'policy' as const, params };
  });
  const seen = new Map<string, number>();
  arms.forEach((a, i) => {
    const j = seen.get(a.name);
    if (j !== undefined) throw InputError.at(file, `policies[${i}]`, `policy name '${a.name}' is also the name of policies[${j}]; expected distinct names (give an inline policy its own name)`);
    seen.set(a.name, i);
  });
  // 2 the reference is one of the policies (added first when not listed)
  const reference = (doc.reference as string | undefined) ?? base.name;
  if (!seen.has(reference)) {
    const ref = scenarioArm(reference, dir, file, 'reference');
    if (seen.has(ref.name)) throw InputError.at(file, 'reference', `resolves to '${ref.name}', already a policy under another name`);
    arms.unshift(ref);
  }
  const refName = arms.find((a) => a.name === reference)?.name ?? arms[0].name;
  if (arms.filter((a) => a.role === 'policy').length < 2) {
    throw InputError.at(file, 'policies', `expected at least two policies to choose between (the reference '${refName}' counts as one), got ${arms.length}`);
  }
  // 3 outcomes, and the counterfactual cost_per_point needs
  const outcomes = ((doc.outcomes as string[] | undefined) ?? [...DEFAULT_OUTCOMES]).slice();
  const needsCpp = outcomes.includes(COST_PER_POINT_ID);
  const stored = METRIC_IDS.filter((id) => outcomes.includes(id) || (needsCpp && (id === 'attainment_mean' || id === 'money_cost')));
  if (needsCpp && !arms.some((a) => a.name === NO_PARTNERING)) {
    const np = scenarioArm(NO_PARTNERING, dir, file, 'outcomes');
    arms.push({ ...np, role: 'counterfactual' });
  }
  // 4 uncertainties
  const uncertainties: Uncertainty[] = Object.entries(doc.uncertainties as Record<string, Doc>).map(([path, u]) => {
    const r = u.range as Doc;
    const spec = specAt(path) as NumSpec;
    const integer = r.integer === undefined ? spec.integer === true : Boolean(r.integer);
    return { path, range: { min: r.min as number, max: r.max as number, log: Boolean(r.log), integer } };
  });
  for (const u of uncertainties) {
    const field = `uncertainties.${u.path}.range`;
    const r = u.range;
    const spec = specAt(u.path) as NumSpec;
    if (!(r.min < r.max)) throw InputError.at(file, field, `expected min below max, got min ${r.min} and max ${r.max}`);
    if (r.log && !(r.min > 0)) throw InputError.at(file, `${field}.min`, `a log range needs min above 0, got ${r.min}`);
    if (spec.integer && !r.integer) throw InputError.at(file, `${field}.integer`, `${u.path} takes whole numbers only; expected integer: true (or leave it out)`);
    if (r.integer && (!Number.isInteger(r.min) || !Number.isInteger(r.max))) throw InputError.at(file, field, `an integer range needs whole-number ends, got min ${r.min} and max ${r.max}`);
  }
  // 5 sampling, replications, run, quick
  const quick = Boolean(opts.quick);
  const q = (doc.quick as Doc | undefined) ?? {};
  if (quick && doc.quick === undefined) throw InputError.at(file, 'quick', 'the file has no quick: variant; add quick: {points: N, replications: R, run: {...}} or run without --quick');
  const s = doc.sampling as Doc;
  const sampling = { type: s.type as SamplingType, points: (quick ? (q.points as number | undefined) : undefined) ?? (s.points as number) };
  const replications = (quick ? (q.replications as number | undefined) : undefined) ?? (doc.replications as number | undefined) ?? 1;
  const run: RunSpec = { ...base.run, ...((doc.run as Partial<RunSpec> | undefined) ?? {}), ...(quick ? ((q.run as Partial<RunSpec> | undefined) ?? {}) : {}) };
  const runs = sampling.points * replications * arms.length;
  if (runs > EXPERIMENT_LIMITS.runs) {
    throw InputError.at(file, 'sampling.points', `the plan has ${runs.toLocaleString('en-GB')} runs (${sampling.points} futures x ${arms.length} policies x ${replications} replications); expected at most ${EXPERIMENT_LIMITS.runs.toLocaleString('en-GB')}`);
  }
  // 6 world
  let world: ExperimentWorld | undefined;
  if (doc.world) {
    const w = doc.world as Doc;
    const abs = (p: unknown): string | undefined => (typeof p === 'string' ? (isAbsolute(p) ? p : resolve(dir, p)) : undefined);
    world = { schoolsFile: abs(w.schoolsFile)!, ...(w.ks4 ? { ks4: abs(w.ks4) } : {}), ...(w.ofsted ? { ofsted: abs(w.ofsted) } : {}), ...(w.columns ? { columns: abs(w.columns) } : {}), ...(w.la ? { la: (w.la as string[]).slice() } : {}) };
  }
  // 7 the report's discovery question
  let discover: ExperimentSpec['discover'];
  if (doc.discover) {
    const dq = doc.discover as { policy: string; where: string };
    const policies = arms.filter((a) => a.role === 'policy').map((a) => a.name);
    if (!policies.includes(dq.policy)) throw InputError.at(file, 'discover.policy', `unknown policy '${dq.policy}'; expected one of: ${policies.join(', ')}`);
    const m = /^\s*([A-Za-z_]\w*)\s*(<=|>=|<|>)\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/.exec(dq.where);
    if (!m) throw InputError.at(file, 'discover.where', `expected OUTCOME<NUMBER (or <=, >, >=), e.g. attainment_mean<0, got ${JSON.stringify(dq.where)}`);
    if (!outcomes.includes(m[1])) throw InputError.at(file, 'discover.where', `outcome '${m[1]}' is not among this experiment's outcomes (${outcomes.join(', ')})`);
    discover = { policy: dq.policy, where: dq.where.trim() };
  }
  const spec: ExperimentSpec = {
    kind: 'robust',
    version: (doc.version as number | undefined) ?? EXPERIMENT_VERSION,
    name: String(doc.name),
    description: String(doc.description).trim(),
    seed: (doc.seed as number | string | undefined) ?? 1,
    reference: refName,
    arms,
    uncertainties,
    sampling,
    replications,
    run,
    outcomes,
    stored,
    quick,
    ...(world ? { world } : {}),
    ...(discover ? { discover } : {}),
  };
  return { spec, base };
}

/**
 * The experiment's hash: sha256 of the canonical JSON of everything that decides
 * its results (resolved policy parameters, uncertainties, sampling, seed,
 * replications, run settings, stored outcomes, world files). The description, the
 * report's discovery question and where files live are left out.
 */
export function experimentHash(spec: ExperimentSpec): string {
  const { description: _d, discover: _q, arms, ...rest } = spec;
  return createHash('sha256')
    .update(canonicalJson({ ...rest, arms: arms.map(({ description: _a, source: _s, ...a }) => a) }))
    .digest('hex');
}

/** Load an experiment file: validate, resolve policies (relative to the file), apply --quick, hash. */
export function loadExperiment(ref: string, opts: { quick?: boolean; cwd?: string } = {}): LoadedExperiment {
  const file = isAbsolute(ref) ? ref : resolve(opts.cwd ?? process.cwd(), ref);
  if (!existsSync(file) || !statSync(file).isFile()) throw InputError.at(ref, undefined, 'experiment file not found; expected a .yaml or .json experiment file (see scenarios/experiments/)');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw InputError.at(file, undefined, `cannot read the experiment file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const doc = parseExperimentText(text, file);
  const { spec, base } = resolveExperiment(doc, file, opts);
  return { file, text, spec, base, hash: experimentHash(spec) };
}
