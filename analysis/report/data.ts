/**
 * The report's data contract: the `ReportData` object that the `run`, `compare`
 * and `sweep` commands write as `DIR/report-data.json`, plus a loader that checks
 * the file's shape and fails with a clear `ReportInputError` when it is missing or
 * malformed (the CLI maps that error to exit code 2).
 *
 * Everything in here that comes from users (scenario names and descriptions,
 * manifest values) is treated as untrusted text by the chart and HTML modules.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../../sim/errors.js';
import { join } from 'node:path';
import type { DiscoveryReport, RobustReport } from '../robust/report-data.js';

/** Description of one outcome measure (one number per scenario × replication). */
export interface OutcomeMeta {
  id: string;
  label: string;
  unit: string;
  higherIsBetter: boolean;
  description: string;
}

/** Focus of a partnership. */
export type PartnershipFocus = 'attainment' | 'behaviour' | 'both';

/** Why a partnership ended, or `'alive'` if it was still running at the horizon. */
export type EndReason =
  | 'trust'
  | 'funding'
  | 'key-person'
  | 'cost-benefit'
  | 'staff-time'
  | 'members-left'
  | 'policy'
  | 'alive';

/** All end reasons in display order. */
export const END_REASONS: readonly EndReason[] = [
  'trust',
  'funding',
  'key-person',
  'cost-benefit',
  'staff-time',
  'members-left',
  'policy',
  'alive',
];

/** Everything the report needs; written by the CLI as `DIR/report-data.json`. */
export interface ReportData {
  kind: 'run' | 'compare' | 'sweep';
  title: string;
  /** Shown in full at the end of the report. */
  manifest: Record<string, unknown>;
  /** Baseline scenario name (compare), else null. */
  baseline: string | null;
  /** USER TEXT: may contain HTML/script. */
  scenarios: { name: string; description: string }[];
  outcomes: OutcomeMeta[];
  /** One value per scenario × rep × outcome. */
  replications: { scenario: string; rep: number; outcome: string; value: number }[];
  /** Paired difference vs baseline with a 95% bootstrap interval. */
  differences: {
    scenario: string;
    outcome: string;
    estimate: number;
    low: number;
    high: number;
    /** Cohen's d against the baseline's SD; null where it does not exist (a constant baseline). */
    effectSize: number | null;
    ksP: number;
    mannWhitneyP: number;
  }[];
  /** Quantiles across replications, by year. */
  timeseries: {
    scenario: string;
    year: number;
    metric: string;
    q05: number;
    q25: number;
    median: number;
    q75: number;
    q95: number;
  }[];
  /** One LA at the end of replication 0, per scenario. */
  network: {
    scenario: string;
    la: string;
    nodes: { id: number; name: string; fsm: number; attainment: number; x: number; y: number }[];
    links: { source: number; target: number; focus: PartnershipFocus }[];
  }[];
  /** Age at end, or age at horizon if still alive (ended=false: censored). */
  partnerships: {
    scenario: string;
    rep: number;
    focus: PartnershipFocus;
    ageYears: number;
    ended: boolean;
    reason: string;
  }[];
  /** Band labels like 'FSM <5%', '5–13%', '13–30%', '≥30%' (ordered as given). */
  fsmBands: { scenario: string; rep: number; band: string; attainment: number }[];
  /** £ per school per year against points gained over no partnering. */
  costEffect: { scenario: string; rep: number; costPerSchool: number; attainmentGain: number }[];
  /** Robust runs (issue 15): regret of every policy in every future; checked by its charts. */
  robust?: RobustReport;
  /** Scenario discovery (PRIM) on a robust run or sweep; checked by its charts. */
  discovery?: DiscoveryReport;
  sweep?: {
    parameters: { name: string; min: number; max: number }[];
    points: {
      point: number;
      params: Record<string, number>;
      outcome: string;
      mean: number;
      low: number;
      high: number;
    }[];
    sobol?: {
      outcome: string;
      parameter: string;
      S1: number;
      S1low: number;
      S1high: number;
      ST: number;
      STlow: number;
      SThigh: number;
    }[];
  };
}

/** Thrown when report input is missing or malformed; the CLI maps it to exit code 2. */
export class ReportInputError extends InputError {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`, file);
  }
}

/** Name of the data file inside a run directory. */
export const REPORT_DATA_FILE = 'report-data.json';

type FieldType = 'string' | 'number' | 'number|null' | 'boolean' | 'string|null' | 'focus' | 'object' | 'array';
type RowShape = Record<string, FieldType>;

const FOCI = new Set(['attainment', 'behaviour', 'both']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkField(file: string, path: string, v: unknown, t: FieldType): void {
  const fail = (what: string): never => {
    const got = v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'number' ? String(v) : typeof v;
    throw new ReportInputError(file, `${path} should be ${what}, got ${got}`);
  };
  switch (t) {
    case 'string':
      if (typeof v !== 'string') fail('a string');
      break;
    case 'string|null':
      if (v !== null && typeof v !== 'string') fail('a string or null');
      break;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) fail('a finite number');
      break;
    case 'number|null':
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) fail('a finite number or null');
      break;
    case 'boolean':
      if (typeof v !== 'boolean') fail('true or false');
      break;
    case 'focus':
      if (typeof v !== 'string' || !FOCI.has(v)) fail("one of 'attainment', 'behaviour', 'both'");
      break;
    case 'object':
      if (!isPlainObject(v)) fail('an object');
      break;
    case 'array':
      if (!Array.isArray(v)) fail('an array');
      break;
  }
}

function checkRows(file: string, path: string, v: unknown, shape: RowShape): void {
  checkField(file, path, v, 'array');
  (v as unknown[]).forEach((row, i) => {
    const rp = `${path}[${i}]`;
    checkField(file, rp, row, 'object');
    const r = row as Record<string, unknown>;
    for (const [k, t] of Object.entries(shape)) checkField(file, `${rp}.${k}`, r[k], t);
  });
}

const SHAPES = {
  scenarios: { name: 'string', description: 'string' },
  outcomes: { id: 'string', label: 'string', unit: 'string', higherIsBetter: 'boolean', description: 'string' },
  replications: { scenario: 'string', rep: 'number', outcome: 'string', value: 'number' },
  differences: {
    scenario: 'string',
    outcome: 'string',
    estimate: 'number',
    low: 'number',
    high: 'number',
    effectSize: 'number|null',
    ksP: 'number',
    mannWhitneyP: 'number',
  },
  timeseries: {
    scenario: 'string',
    year: 'number',
    metric: 'string',
    q05: 'number',
    q25: 'number',
    median: 'number',
    q75: 'number',
    q95: 'number',
  },
  network: { scenario: 'string', la: 'string', nodes: 'array', links: 'array' },
  partnerships: {
    scenario: 'string',
    rep: 'number',
    focus: 'focus',
    ageYears: 'number',
    ended: 'boolean',
    reason: 'string',
  },
  fsmBands: { scenario: 'string', rep: 'number', band: 'string', attainment: 'number' },
  costEffect: { scenario: 'string', rep: 'number', costPerSchool: 'number', attainmentGain: 'number' },
} satisfies Record<string, RowShape>;

/**
 * Check that `raw` has the shape of `ReportData` and return it with absent array
 * fields filled in as empty arrays (a `sweep` may carry little else), `manifest`
 * defaulting to `{}` and `baseline` to `null`.
 *
 * @param raw parsed JSON (or an in-memory object)
 * @param file name used in error messages
 * @throws ReportInputError naming the file, the offending path and what was expected
 */
export function validateReportData(raw: unknown, file = '(in-memory data)'): ReportData {
  if (!isPlainObject(raw)) {
    throw new ReportInputError(file, 'expected a JSON object with the ReportData fields (kind, title, scenarios, ...)');
  }
  const kind = raw.kind;
  if (kind !== 'run' && kind !== 'compare' && kind !== 'sweep') {
    throw new ReportInputError(file, `kind should be 'run', 'compare' or 'sweep', got ${JSON.stringify(kind) ?? 'nothing'}`);
  }
  checkField(file, 'title', raw.title, 'string');
  const manifest = raw.manifest ?? {};
  checkField(file, 'manifest', manifest, 'object');
  const baseline = raw.baseline ?? null;
  checkField(file, 'baseline', baseline, 'string|null');

  const out: Record<string, unknown> = { ...raw, kind, manifest, baseline };
  for (const [key, shape] of Object.entries(SHAPES)) {
    const v = raw[key] ?? [];
    checkRows(file, key, v, shape);
    out[key] = v;
  }
  (out.network as { nodes: unknown; links: unknown }[]).forEach((n, i) => {
    checkRows(file, `network[${i}].nodes`, n.nodes, {
      id: 'number',
      name: 'string',
      fsm: 'number',
      attainment: 'number',
      x: 'number',
      y: 'number',
    });
    checkRows(file, `network[${i}].links`, n.links, { source: 'number', target: 'number', focus: 'focus' });
  });
  if (raw.sweep !== undefined && raw.sweep !== null) {
    const s = raw.sweep;
    checkField(file, 'sweep', s, 'object');
    const sw = s as Record<string, unknown>;
    checkRows(file, 'sweep.parameters', sw.parameters, { name: 'string', min: 'number', max: 'number' });
    checkRows(file, 'sweep.points', sw.points, {
      point: 'number',
      params: 'object',
      outcome: 'string',
      mean: 'number',
      low: 'number',
      high: 'number',
    });
    (sw.points as { params: Record<string, unknown> }[]).forEach((p, i) => {
      for (const [k, v] of Object.entries(p.params)) checkField(file, `sweep.points[${i}].params.${k}`, v, 'number');
    });
    if (sw.sobol !== undefined) {
      checkRows(file, 'sweep.sobol', sw.sobol, {
        outcome: 'string',
        parameter: 'string',
        S1: 'number',
        S1low: 'number',
        S1high: 'number',
        ST: 'number',
        STlow: 'number',
        SThigh: 'number',
      });
    }
  } else {
    delete out.sweep;
  }
  return out as unknown as ReportData;
}

/**
 * Read and check `DIR/report-data.json`.
 *
 * @param dir run directory (the one holding `manifest.json`)
 * @throws ReportInputError if the file is missing, is not JSON, or lacks the expected fields
 */
export async function loadReportData(dir: string): Promise<ReportData> {
  const file = join(dir, REPORT_DATA_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(err)})`;
    throw new ReportInputError(
      file,
      `${why}; expected the report data (a ReportData JSON object) written by the run, compare or sweep command`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ReportInputError(file, `is not valid JSON (${(err as Error).message}); expected a ReportData JSON object`);
  }
  return validateReportData(raw, file);
}
