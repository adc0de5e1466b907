/**
 * A worker's cache of spin-ups. The state in autumn 2007 (after set-up and the
 * spin-up, sim/model.ts) is the same for every scenario of one replication, because
 * levers act in the spin-up only when they start before the run's start year, or are
 * noPartnering. So baseline and each scenario at the same seed, point and replication
 * need the spin-up only once: the first task computes it and keeps a snapshot (and
 * the world), the others restore a copy, bit for bit the state they would have built.
 *
 * The key is everything the world and the spin-up read: the world (generated from the
 * seed key, schools and the world parameters; or an imported world, by identity), the
 * seed key, the time settings except the horizon, and every parameter, with only the
 * levers that cannot act before the start year replaced by one "inactive" mark
 * (conservative: a lever enabled with an earlier start year keeps its whole subtree,
 * noPartnering is kept as it is). Browser-safe (no Node imports).
 */
import type { Params } from '../sim/params.js';
import { canonicalJson } from '../scenarios/canonical.js';
import type { World } from '../sim/world.js';
import type { SpinupSnapshot } from '../sim/model.js';

export interface SpinupEntry {
  world: World;
  snap: SpinupSnapshot;
}

/** What the key needs of a task. */
export interface SpinupKeyTask {
  params: Params;
  run: { stepsPerYear: number; startYear: number; schools: number };
  seed: number | string;
  point: number | string;
  replication: number;
}

const worldIds = new WeakMap<World, number>();
let nextWorldId = 1;

/** Levers whose whole subtree can be set aside when they cannot act before `startYear`. */
function leverKey(levers: Params['levers'], startYear: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(levers) as [string, Record<string, unknown>][]) {
    if (name === 'noPartnering' || !('startYear' in v)) {
      out[name] = v;
      continue;
    }
    const enabled = v.enabled === true;
    const sy = v.startYear as number;
    out[name] = !enabled || sy >= startYear ? 'inactive' : v;
  }
  return out;
}


/** The cache key of a task's world and spin-up. */
export function spinupKey(task: SpinupKeyTask, world?: World): string {
  let wid = 0;
  if (world) {
    wid = worldIds.get(world) ?? 0;
    if (wid === 0) worldIds.set(world, (wid = nextWorldId++));
  }
  const { levers, ...rest } = task.params;
  return canonicalJson({
    world: wid,
    seed: task.seed,
    point: task.point,
    replication: task.replication,
    schools: task.run.schools,
    stepsPerYear: task.run.stepsPerYear,
    startYear: task.run.startYear,
    params: rest,
    levers: leverKey(levers, task.run.startYear),
  });
}

/** A small least-recently-used cache of spin-ups, bounded by entries and by bytes. */
export class SpinupCache {
  private readonly map = new Map<string, SpinupEntry>();
  private bytes = 0;
  private readonly sizes = new Map<string, number>();
  hits = 0;
  misses = 0;

  constructor(
    /** A replication's scenarios need one or two spin-ups (baseline's, no-partnering's), and tasks come replication by replication. */
    readonly maxEntries = 3,
    /** Snapshots larger than this are not kept (about 850 bytes a school: up to some 230,000 schools). */
    readonly maxBytes = 192 * 1024 * 1024,
  ) {}

  get(key: string): SpinupEntry | undefined {
    const e = this.map.get(key);
    if (e) {
      this.map.delete(key);
      this.map.set(key, e);
      this.hits++;
    } else this.misses++;
    return e;
  }

  set(key: string, entry: SpinupEntry): void {
    const size = snapshotBytes(entry.snap);
    if (this.maxEntries <= 0 || size > this.maxBytes) return;
    this.drop(key);
    this.map.set(key, entry);
    this.sizes.set(key, size);
    this.bytes += size;
    while (this.map.size > this.maxEntries || this.bytes > this.maxBytes) this.drop(this.map.keys().next().value as string);
  }

  private drop(key: string): void {
    if (!this.map.has(key)) return;
    this.map.delete(key);
    this.bytes -= this.sizes.get(key) ?? 0;
    this.sizes.delete(key);
  }
}

/** Bytes of typed arrays in a snapshot. */
function snapshotBytes(snap: SpinupSnapshot): number {
  let b = snap.laStatutory.byteLength;
  const walk = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) b += v.byteLength;
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
  };
  walk(snap.state);
  return b;
}
