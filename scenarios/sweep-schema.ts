/**
 * The JSON Schema of sweep files (issue 6: parameter sweeps and sensitivity analysis),
 * generated from the parameter table (sim/params.ts) and the outcome list
 * (sim/metrics.ts) so neither can drift. Every parameter path is a property of
 * `parameters`, carrying its own range, so editors complete the names and flag
 * values out of range as you type. Shipped as scenarios/sweep.schema.json
 * (`# yaml-language-server: $schema=../sweep.schema.json`); a test checks the
 * shipped file is current.
 */
import { METRIC_IDS } from '../sim/metrics.js';
import { listSpecs, type Spec } from '../sim/params.js';
import { RUN_SETTINGS } from './schema.js';

/** Current sweep format version. */
export const SWEEP_VERSION = 1;

/** Design types, in the order the docs present them. */
export const DESIGN_TYPES = ['grid', 'lhs', 'sobol', 'morris'] as const;
export type DesignType = (typeof DESIGN_TYPES)[number];

/** Upper bounds that keep a plan within what one machine can enumerate. */
export const SWEEP_LIMITS = {
  levels: 1000,
  lhsPoints: 1_000_000,
  sobolN: 1_048_576,
  morrisTrajectories: 100_000,
  morrisLevels: 100,
  replications: 100_000,
  /** Runs in one plan (points x replications). */
  runs: 10_000_000,
} as const;

type Json = Record<string, unknown>;

function numberParameter(spec: Extract<Spec, { kind: 'number' }>): Json {
  // Shape and wording come from definitions.numberParameter; here only this parameter's bounds.
  const value = { type: spec.integer ? 'integer' : 'number', minimum: spec.min, maximum: spec.max };
  return {
    // No default here: calibration moves defaults, and a sweep file only needs the bounds.
    description: `${spec.description} Unit: ${spec.unit}. Allowed: ${spec.min} to ${spec.max}${spec.integer ? ', whole numbers' : ''}.`,
    allOf: [{ $ref: '#/definitions/numberParameter' }],
    properties: { levels: { items: value }, range: { properties: { min: value, max: value } } },
  };
}

function booleanParameter(spec: Extract<Spec, { kind: 'boolean' }>): Json {
  return { description: `${spec.description} On/off.`, allOf: [{ $ref: '#/definitions/booleanParameter' }] };
}

const DEFINITIONS: Json = {
  numberParameter: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description: 'Give either levels or range.',
    properties: {
      levels: {
        type: 'array',
        minItems: 1,
        maxItems: SWEEP_LIMITS.levels,
        uniqueItems: true,
        items: { type: 'number' },
        description: 'Values to use (a grid crosses every level of every parameter; one level holds the parameter fixed).',
      },
      range: {
        type: 'object',
        additionalProperties: false,
        required: ['min', 'max'],
        description: 'Continuous range, for lhs, sobol and morris designs.',
        properties: {
          min: { type: 'number', description: 'Lower end of the range.' },
          max: { type: 'number', description: 'Upper end of the range.' },
          log: { type: 'boolean', description: 'Spread values evenly on a log scale (min must be above 0).' },
          integer: { type: 'boolean', description: 'Whole numbers only (always, for whole-number parameters).' },
        },
      },
    },
  },
  booleanParameter: {
    type: 'object',
    additionalProperties: false,
    required: ['levels'],
    properties: {
      levels: {
        type: 'array',
        minItems: 1,
        maxItems: 2,
        uniqueItems: true,
        items: { type: 'boolean' },
        description: 'Settings to use: [false, true], or one of them to hold it fixed.',
      },
    },
  },
};

/** The keys a design of type `type` needs and allows. */
export const DESIGN_KEYS: Record<DesignType, { required: string[]; optional: string[] }> = {
  grid: { required: [], optional: [] },
  lhs: { required: ['points'], optional: [] },
  sobol: { required: ['n'], optional: [] },
  morris: { required: ['trajectories'], optional: ['levels'] },
};

function designKeys(type: DesignType, required: string[], optional: string[]): Json {
  return {
    if: { properties: { type: { const: type } }, required: ['type'] },
    then: { required, propertyNames: { enum: ['type', ...required, ...optional] } },
  };
}

/** Build the sweep JSON Schema (draft-07). */
export function sweepSchema(): Json {
  const parameters: Json = {};
  for (const { path, spec } of listSpecs()) parameters[path] = spec.kind === 'boolean' ? booleanParameter(spec) : numberParameter(spec);
  const run: Json = {};
  for (const k of ['years', 'schools', 'stepsPerYear'] as const) run[k] = RUN_SETTINGS[k];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://partnersim.invalid/sweep.schema.json',
    title: 'partnersim sweep',
    description:
      'A parameter sweep for partnersim: a base scenario, the parameters to vary (dotted paths into the parameter table) with levels or ranges, an experimental design, and replications per design point.',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'description', 'scenario', 'parameters', 'design'],
    definitions: DEFINITIONS,
    properties: {
      version: { const: SWEEP_VERSION, description: 'Sweep format version.' },
      name: { type: 'string', minLength: 1, maxLength: 200, description: 'Sweep name.' },
      description: { type: 'string', description: 'The question the sweep asks, and why these parameters and ranges.' },
      scenario: {
        type: 'string',
        minLength: 1,
        description: 'Base scenario: a built-in scenario name or a scenario file (path relative to this file). Swept parameters are set on top of it.',
      },
      seed: {
        anyOf: [
          { type: 'integer', minimum: 0, maximum: 9007199254740991 },
          { type: 'string', pattern: '^[\\w.-]{1,64}$' },
        ],
        default: 1,
        description: 'Seed: with the point and the replication it fixes every run (default 1).',
      },
      run: { type: 'object', additionalProperties: false, properties: run, description: 'Run settings overriding the base scenario (years, schools, stepsPerYear).' },
      parameters: {
        type: 'object',
        minProperties: 1,
        additionalProperties: false,
        properties: parameters,
        description: 'Parameters to vary, by dotted path (e.g. trust.gain, levers.fundingWithdrawn.share), each with levels or a range.',
      },
      design: {
        type: 'object',
        required: ['type'],
        additionalProperties: false,
        description: 'Experimental design: {type: grid} | {type: lhs, points: N} | {type: sobol, n: N} | {type: morris, trajectories: R, levels: 4}.',
        properties: {
          type: { enum: [...DESIGN_TYPES], description: 'grid (every combination of levels), lhs (Latin hypercube), sobol (Saltelli design for Sobol indices), morris (elementary-effects screening).' },
          points: { type: 'integer', minimum: 1, maximum: SWEEP_LIMITS.lhsPoints, description: 'lhs: number of design points.' },
          n: { type: 'integer', minimum: 2, maximum: SWEEP_LIMITS.sobolN, description: 'sobol: base rows (a power of two is best); the design has n x (parameters + 2) points.' },
          trajectories: { type: 'integer', minimum: 2, maximum: SWEEP_LIMITS.morrisTrajectories, description: 'morris: trajectories r; the design has r x (parameters + 1) points.' },
          levels: { type: 'integer', minimum: 2, maximum: SWEEP_LIMITS.morrisLevels, multipleOf: 2, description: 'morris: grid levels p (even, default 4).' },
        },
        // Which keys go with which type (editors show these; the loader words its own message).
        allOf: [
          ...DESIGN_TYPES.map((t) => designKeys(t, DESIGN_KEYS[t].required, DESIGN_KEYS[t].optional)),
        ],
      },
      replications: { type: 'integer', minimum: 1, maximum: SWEEP_LIMITS.replications, default: 1, description: 'Runs per design point, each with its own seed.' },
      outcomes: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { enum: [...METRIC_IDS] },
        description: 'Outcomes to keep (ids from `partnersim run --json`); default all.',
      },
    },
  };
}
