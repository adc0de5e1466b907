/**
 * The JSON Schema of scenario files, generated from the parameter table (sim/params.ts)
 * so the two cannot drift. Shipped as scenarios/scenario.schema.json for editor
 * completion (`# yaml-language-server: $schema=...`); a test checks the file is current.
 */
import { PARAM_TREE, isSpec, type Spec } from '../sim/params.js';

/** Current scenario format version. */
export const SCENARIO_VERSION = 1;

type Json = Record<string, unknown>;

function leafSchema(spec: Spec): Json {
  if (spec.kind === 'boolean') return { type: 'boolean', description: `${spec.description} Source: ${spec.source}`, default: spec.default };
  return {
    type: spec.integer ? 'integer' : 'number',
    minimum: spec.min,
    maximum: spec.max,
    default: spec.default,
    description: `${spec.description} Unit: ${spec.unit}. Source: ${spec.source}${spec.calibrated ? ' (calibrated)' : ''}`,
  };
}

function groupSchema(node: Record<string, unknown>, description?: string): Json {
  const properties: Json = {};
  for (const [k, v] of Object.entries(node)) properties[k] = isSpec(v) ? leafSchema(v) : groupSchema(v as Record<string, unknown>);
  return { type: 'object', additionalProperties: false, properties, ...(description ? { description } : {}) };
}

/** Run settings a scenario may fix (the CLI's flags override them). */
export const RUN_SETTINGS = {
  years: { type: 'integer', minimum: 1, maximum: 100, default: 10, description: 'Years simulated from the start year.' },
  stepsPerYear: { type: 'integer', minimum: 1, maximum: 52, default: 3, description: 'Time steps a year (3 = termly).' },
  startYear: { type: 'integer', minimum: 1990, maximum: 2100, default: 2007, description: 'Academic year of the first step (2007 = 2007-08).' },
  schools: { type: 'integer', minimum: 2, maximum: 100000000, default: 3300, description: 'Secondary schools in the synthetic England (LAs scale with it).' },
} as const;

/** Build the scenario JSON Schema (draft-07). */
export function scenarioSchema(): Json {
  const tree = PARAM_TREE as unknown as Record<string, Record<string, unknown>>;
  const { levers, ...groups } = tree;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://partnersim.invalid/scenario.schema.json',
    title: 'partnersim scenario',
    description: 'A policy scenario for partnersim: overrides of model parameters and policy levers, optionally extending another scenario.',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'description'],
    properties: {
      version: { const: SCENARIO_VERSION, description: 'Scenario format version.' },
      name: { type: 'string', minLength: 1, maxLength: 200, description: 'Scenario name.' },
      description: { type: 'string', description: 'What the scenario represents, citing the NAO report where it draws on it.' },
      extends: { type: 'string', minLength: 1, description: 'A built-in scenario name or a path (relative to this file) to extend.' },
      ...RUN_SETTINGS,
      parameters: groupSchema(groups, 'Model parameters to override (any subset).'),
      levers: groupSchema(levers, 'Policy levers: each with enabled, startYear and lever-specific settings.'),
      calibration: {
        type: 'object',
        description: 'Provenance of calibrated values, written by `partnersim calibrate`.',
        additionalProperties: true,
      },
    },
  };
}
