/**
 * The parameter sample written by `partnersim calibrate` and read by
 * `partnersim compare --posterior FILE`: rows of values of the fitted parameters,
 * drawn from the fit's normal approximation (or any sample a user supplies, e.g.
 * ABC particles with weights).
 *
 * `compare --posterior` draws one row per replication: the row is chosen by a
 * generator keyed by the run's seed and the replication number (stream
 * `posterior`), never by the scenario, so replication i of every scenario runs with
 * the same parameters and the pairs stay paired; and as the key has no thread or
 * batch in it, the choice is the same at any thread count.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError } from '../../sim/errors.js';
import { getPath, setPath, specAt, type Params } from '../../sim/params.js';
import { Rng } from '../../sim/rng.js';

export const POSTERIOR_KIND = 'partnersim-parameter-sample';

export interface PosteriorFile {
  kind: typeof POSTERIOR_KIND;
  version: 1;
  /** How the rows were made, for the reader. */
  method: string;
  /** Parameter paths (columns). */
  parameters: string[];
  /** The point estimate, in `parameters` order. */
  estimate: number[];
  /** Standard errors, in `parameters` order. */
  se?: number[];
  /** The rows. */
  draws: number[][];
  /** Optional non-negative weights, one per row (default equal). */
  weights?: number[];
  /** Anything else: the fit's provenance. */
  provenance?: Record<string, unknown>;
}

/** A parameter sample read from disk, with the file's sha256 for the manifest. */
export interface LoadedPosterior {
  file: string;
  sha256: string;
  parameters: string[];
  draws: number[][];
  /** Cumulative normalised weights (for the draw). */
  cumulative: number[];
  method: string;
}

/** Read and validate a parameter sample; an InputError names the file and field. */
export function readPosterior(file: string): LoadedPosterior {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw InputError.at(file, undefined, 'cannot read the file; expected a parameter sample written by `partnersim calibrate`');
  }
  let doc: Partial<PosteriorFile>;
  try {
    doc = JSON.parse(text) as Partial<PosteriorFile>;
  } catch (e) {
    throw InputError.at(file, undefined, `not valid JSON (${(e as Error).message}); expected a parameter sample written by \`partnersim calibrate\``);
  }
  if (doc?.kind !== POSTERIOR_KIND) throw InputError.at(file, 'kind', `expected "${POSTERIOR_KIND}"`);
  if (!Array.isArray(doc.parameters) || doc.parameters.length === 0) throw InputError.at(file, 'parameters', 'expected a non-empty list of parameter paths');
  doc.parameters.forEach((path, j) => {
    const spec = typeof path === 'string' ? specAt(path) : undefined;
    if (!spec || spec.kind !== 'number') throw InputError.at(file, `parameters[${j}]`, `expected a numeric model parameter path such as formation.initiationRate, got ${JSON.stringify(path)}`);
  });
  if (new Set(doc.parameters).size !== doc.parameters.length) throw InputError.at(file, 'parameters', 'a parameter is listed twice');
  if (!Array.isArray(doc.draws) || doc.draws.length === 0) throw InputError.at(file, 'draws', 'expected a non-empty list of rows');
  const p = doc.parameters.length;
  doc.draws.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== p) throw InputError.at(file, `draws[${i}]`, `expected ${p} numbers (one per parameter)`);
    row.forEach((v, j) => {
      const spec = specAt(doc.parameters![j])!;
      if (spec.kind !== 'number' || typeof v !== 'number' || !Number.isFinite(v) || v < spec.min || v > spec.max || (spec.integer && !Number.isInteger(v))) {
        const range = spec.kind === 'number' ? `${spec.integer ? 'a whole number' : 'a number'} from ${spec.min} to ${spec.max}` : 'a number';
        throw InputError.at(file, `draws[${i}][${j}]`, `${doc.parameters![j]}: expected ${range}, got ${JSON.stringify(v)}`);
      }
    });
  });
  let weights = doc.weights;
  if (weights !== undefined) {
    if (!Array.isArray(weights) || weights.length !== doc.draws.length || weights.some((w) => typeof w !== 'number' || !(w >= 0) || !Number.isFinite(w))) {
      throw InputError.at(file, 'weights', `expected ${doc.draws.length} non-negative numbers (one per row)`);
    }
    if (!(weights.reduce((a, b) => a + b, 0) > 0)) throw InputError.at(file, 'weights', 'expected at least one positive weight');
  } else weights = doc.draws.map(() => 1);
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const cumulative = weights.map((w) => (acc += w / total));
  return {
    file,
    sha256: createHash('sha256').update(text).digest('hex'),
    parameters: doc.parameters,
    draws: doc.draws,
    cumulative,
    method: typeof doc.method === 'string' ? doc.method : 'unstated',
  };
}

/** The row used by replication `replication` of a run with seed `seed` (the same for every scenario). */
export function posteriorRow(post: Pick<LoadedPosterior, 'cumulative'>, seed: number | string, replication: number, point: number | string = 0): number {
  const u = Rng.fromKey({ seed, point, replication, stream: 'posterior' }).next();
  const c = post.cumulative;
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A scenario's parameters at one posterior row. A parameter the scenario sets to
 * something other than the baseline's value is the scenario's own choice (e.g. a
 * sensitivity scenario) and is kept; the others take the row's value.
 */
export function paramsAtRow(params: Params, baseline: Params, post: Pick<LoadedPosterior, 'parameters' | 'draws'>, row: number): Params {
  const p = structuredClone(params);
  post.parameters.forEach((path, j) => {
    if (getPath(params, path) === getPath(baseline, path)) setPath(p, path, post.draws[row][j]);
  });
  return p;
}

/** Give every task the parameters of its replication's posterior row (tasks carry `params`, `seed`, `point`, `replication`). */
export function withPosterior<T extends { params: Params; seed: number | string; point: number | string; replication: number }>(tasks: T[], baseline: Params, post: LoadedPosterior): T[] {
  return tasks.map((t) => ({ ...t, params: paramsAtRow(t.params, baseline, post, posteriorRow(post, t.seed, t.replication, t.point)) }));
}

/** What the manifest records about the sample. */
export function posteriorManifest(post: LoadedPosterior): Record<string, unknown> {
  return { file: post.file, sha256: post.sha256, method: post.method, parameters: post.parameters, rows: post.draws.length, draw: 'one row per replication, chosen by the key partnersim|seed=S|point=P|rep=R|stream=posterior (the same row for every scenario)' };
}
