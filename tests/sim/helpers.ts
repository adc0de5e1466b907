/**
 * Shared set-up for the engine tests: small seeded worlds, models, bare states with
 * hand-built partnerships, and tolerances derived from sampling error.
 */
import { defaultParams, type Params } from '../../sim/params.js';
import { Rng } from '../../sim/rng.js';
import { Stream } from '../../sim/streams.js';
import { generateWorld } from '../../sim/generate.js';
import { Model, streamKey, type RunSettings } from '../../sim/model.js';
import { State, MAX_SLOTS } from '../../sim/state.js';
import { addMember, openPartnership } from '../../sim/partnership.js';
import type { World } from '../../sim/world.js';

/** Default parameters, with optional edits applied to the fresh copy. */
export function params(edit?: (p: Params) => void): Params {
  const p = defaultParams();
  if (edit) edit(p);
  return p;
}

/** The world of replication 0 of `seed`, as the model's own `world` stream would draw it. */
export function world(n: number, seed: number | string = 1, p: Params = defaultParams()): World {
  return generateWorld(p, n, Rng.fromKey(streamKey({ seed, replication: 0 }, 'world')));
}

/** A model on `w` with termly steps from 2007. */
export function model(w: World, p: Params, years: number, seed: number | string = 1, extra: Partial<RunSettings> = {}): Model {
  return new Model(w, p, { years, stepsPerYear: 3, startYear: 2007, seed, replication: 0, ...extra });
}

/** A fresh State (no partnerships, no initialisation) on a generated world. */
export function bareState(n: number, p: Params = defaultParams(), seed: number | string = 1, spy = 3): State {
  return new State(world(n, seed, p), p, spy);
}

/** Open a partnership of the given schools by hand (no attributes drawn). */
export function partnership(s: State, schools: number[], focus: number): number {
  const p = openPartnership(s, focus, s.world.la[schools[0]]);
  for (const i of schools) addMember(s, p, i);
  return p;
}

/** A generator for a test's own draws. */
export function rng(name: string): Rng {
  return new Rng(`test|${name}`);
}

/** A counter-based stream for a test (the model's processes draw from these). */
export function stream(name: string): Stream {
  return new Stream(`test|${name}`);
}

/** z standard errors of a binomial share p estimated from n trials. */
export function binomTol(p: number, n: number, z = 4): number {
  return z * Math.sqrt((p * (1 - p)) / n);
}

/** Members of live partnership p, by walking its linked list. */
export function membersOf(s: State, p: number): number[] {
  const out: number[] = [];
  for (let m = s.parts.head[p]; m !== -1; m = s.members.next[m]) out.push(s.members.school[m]);
  return out;
}

/** Live partnerships of school i, from its slots. */
export function slotsOf(s: State, i: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < s.nSlots[i]; k++) out.push(s.members.part[s.slots[i * s.slotW + k]]);
  return out;
}

export function mean(xs: ArrayLike<number>): number {
  let t = 0;
  for (let i = 0; i < xs.length; i++) t += xs[i];
  return t / xs.length;
}

export function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let t = 0;
  for (let i = 0; i < xs.length; i++) t += (xs[i] - m) * (xs[i] - m);
  return t / (xs.length - 1);
}

export function median(xs: ArrayLike<number>): number {
  const a = Float64Array.from(xs).sort();
  const h = a.length >> 1;
  return a.length % 2 ? a[h] : (a[h - 1] + a[h]) / 2;
}

export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
