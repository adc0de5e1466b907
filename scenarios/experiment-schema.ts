/**
 * The JSON Schema of robust-decision experiment files (issue 15: policies x
 * uncertain futures), generated from the parameter table, the outcome list and
 * the scenario schema's levers so none can drift. An experiment names the
 * policies to choose between (built-in scenarios, scenario files or inline lever
 * sets), the uncertain parameters with their ranges (as a sweep's `range:`), how
 * to sample futures from them, and the run settings. Shipped as
 * scenarios/experiment.schema.json; a test checks the shipped file is current.
 */
import { METRIC_IDS } from '../sim/metrics.js';
import { listSpecs, type Spec } from '../sim/params.js';
import { RUN_SETTINGS, scenarioSchema } from './schema.js';

/** Current experiment format version. */
export const EXPERIMENT_VERSION = 1;

/** How futures are sampled from the uncertainty ranges. */
export const SAMPLING_TYPES = ['lhs', 'sobol'] as const;
export type SamplingType = (typeof SAMPLING_TYPES)[number];

/** The derived outcome: extra money per attainment point gained, both against no-partnering. */
export const COST_PER_POINT_ID = 'cost_per_point';

/** Outcome ids an experiment may name: every metric, and cost_per_point. */
export const EXPERIMENT_OUTCOMES: readonly string[] = [...METRIC_IDS, COST_PER_POINT_ID];

/** Upper bounds that keep an experiment within what one machine can enumerate. */
export const EXPERIMENT_LIMITS = {
  policies: 50,
  points: 100_000,
  replications: 10_000,
  runs: 10_000_000,
} as const;

type Json = Record<string, unknown>;

function uncertainty(spec: Extract<Spec, { kind: 'number' }>): Json {
  const value = { type: spec.integer ? 'integer' : 'number', minimum: spec.min, maximum: spec.max };
  return {
    description: `${spec.description} Unit: ${spec.unit}. Allowed: ${spec.min} to ${spec.max}${spec.integer ? ', whole numbers' : ''}.`,
    allOf: [{ $ref: '#/definitions/uncertainty' }],
    properties: { range: { properties: { min: value, max: value } } },
  };
}

/** Build the experiment JSON Schema (draft-07). */
export function experimentSchema(): Json {
  const uncertainties: Json = {};
  for (const { path, spec } of listSpecs()) if (spec.kind === 'number' && !path.startsWith('levers.')) uncertainties[path] = uncertainty(spec);
  const run: Json = {};
  for (const k of ['years', 'schools', 'stepsPerYear'] as const) run[k] = RUN_SETTINGS[k];
  const levers = (scenarioSchema().properties as Json).levers as Json;
  const runBlock = { type: 'object', additionalProperties: false, properties: run, description: 'Run settings (years, schools, stepsPerYear) overriding the base scenario.' };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://partnersim.invalid/experiment.schema.json',
    title: 'partnersim robust experiment',
    description:
      'Policies x uncertain futures for robust decision making: every policy runs in every sampled future, with the same world and shocks for every policy in a future and replication (common random numbers).',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'description', 'policies', 'uncertainties', 'sampling'],
    definitions: {
      uncertainty: {
        type: 'object',
        additionalProperties: false,
        required: ['range'],
        properties: {
          range: {
            type: 'object',
            additionalProperties: false,
            required: ['min', 'max'],
            description: 'The plausible range: futures are sampled across it.',
            properties: {
              min: { type: 'number', description: 'Lower end of the range.' },
              max: { type: 'number', description: 'Upper end of the range.' },
              log: { type: 'boolean', description: 'Spread values evenly on a log scale (min must be above 0).' },
              integer: { type: 'boolean', description: 'Whole numbers only (always, for whole-number parameters).' },
            },
          },
        },
      },
      policy: {
        anyOf: [
          { type: 'string', minLength: 1, description: 'A built-in scenario name (e.g. funding-withdrawn) or a scenario file, relative to this file.' },
          {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'levers'],
            description: 'An inline policy: levers set on top of the base scenario.',
            properties: {
              name: { type: 'string', pattern: '^[A-Za-z0-9][\\w.-]{0,63}$', description: 'Policy name (letters, digits, - _ .).' },
              description: { type: 'string', description: 'What the policy does.' },
              levers,
            },
          },
        ],
      },
    },
    properties: {
      version: { const: EXPERIMENT_VERSION, description: 'Experiment format version.' },
      name: { type: 'string', minLength: 1, maxLength: 200, description: 'Experiment name.' },
      description: { type: 'string', description: 'The decision the experiment informs, and why these policies and uncertainties.' },
      scenario: { type: 'string', minLength: 1, description: 'Base scenario for inline policies and for the reference (default baseline).' },
      reference: {
        type: 'string',
        minLength: 1,
        description: 'The status quo policy effects are measured against (default: the base scenario, e.g. baseline). It is one of the policies compared.',
      },
      seed: {
        anyOf: [
          { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 },
          { type: 'string', pattern: '^[\\w.-]{1,64}$' },
        ],
        default: 1,
        description: 'Seed: with the future and the replication it fixes every run (default 1).',
      },
      policies: { type: 'array', minItems: 1, maxItems: EXPERIMENT_LIMITS.policies, items: { $ref: '#/definitions/policy' }, description: 'The policies to choose between.' },
      uncertainties: {
        type: 'object',
        minProperties: 1,
        additionalProperties: false,
        properties: uncertainties,
        description: 'Uncertain parameters (dotted paths into the parameter table), each with range: {min, max}.',
      },
      sampling: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'points'],
        description: 'How futures are sampled: {type: lhs, points: N} (Latin hypercube) or {type: sobol, points: N} (Sobol low-discrepancy sequence).',
        properties: {
          type: { enum: [...SAMPLING_TYPES], description: 'lhs (Latin hypercube) or sobol (low-discrepancy sequence).' },
          points: { type: 'integer', minimum: 2, maximum: EXPERIMENT_LIMITS.points, description: 'Number of futures.' },
        },
      },
      replications: { type: 'integer', minimum: 1, maximum: EXPERIMENT_LIMITS.replications, default: 1, description: 'Runs per policy and future; each replication has its own world and shocks, shared by every policy.' },
      run: runBlock,
      outcomes: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { enum: [...EXPERIMENT_OUTCOMES] },
        description: 'Outcomes to judge policies on (ids from `partnersim run --json`, or cost_per_point); default attainment_mean, fsm_gap, money_cost.',
      },
      quick: {
        type: 'object',
        additionalProperties: false,
        description: 'A smaller variant run with --quick: fewer futures, replications or schools.',
        properties: {
          points: { type: 'integer', minimum: 2, maximum: EXPERIMENT_LIMITS.points },
          replications: { type: 'integer', minimum: 1, maximum: EXPERIMENT_LIMITS.replications },
          run: runBlock,
        },
      },
      discover: {
        type: 'object',
        additionalProperties: false,
        required: ['policy', 'where'],
        description: 'The scenario-discovery question the report answers: where does this policy meet this condition? (as `partnersim discover --policy P --where W`)',
        properties: {
          policy: { type: 'string', minLength: 1, description: 'A policy name.' },
          where: { type: 'string', minLength: 1, description: 'OUTCOME<NUMBER (or <=, >, >=), e.g. attainment_mean<0.' },
        },
      },
      world: {
        type: 'object',
        additionalProperties: false,
        required: ['schoolsFile'],
        description: 'Start from real schools instead of the synthetic England (see docs/import.md); paths relative to this file.',
        properties: {
          schoolsFile: { type: 'string', minLength: 1 },
          ks4: { type: 'string', minLength: 1 },
          ofsted: { type: 'string', minLength: 1 },
          columns: { type: 'string', minLength: 1 },
          la: { type: 'array', items: { type: 'string' }, minItems: 1 },
        },
      },
    },
  };
}
