import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../scenarios/loader.js';
import { defaultParams } from '../../sim/params.js';
import { SpinupCache, spinupKey } from '../../workers/spinup-cache.js';
import { executeTask, setSpinupCache, spinupCache, worldFor, type Task } from '../../workers/task.js';
import { Model } from '../../sim/model.js';
import { scratchBuffer } from '../../sim/scratch.js';

const run = { years: 2, stepsPerYear: 3, startYear: 2007, schools: 250 };

function task(id: number, scenario: string, replication: number, params = loadScenario(scenario).params): Task {
  return { id, scenario, params, run, seed: 11, point: 0, replication, survival: replication === 0, network: replication === 0, survey: true };
}

/** A lever that starts before 2007 acts in the spin-up, so its spin-up is its own. */
function earlyObjectives(): Task['params'] {
  const p = defaultParams();
  p.levers.clearObjectives.enabled = true;
  p.levers.clearObjectives.startYear = 2001;
  return p;
}

function plan(): Task[] {
  const names = ['baseline', 'clear-objectives', 'no-partnering', 'stop-partnering-2007', 'funding-withdrawn', 'mandated-pairing'];
  const out: Task[] = [];
  for (let r = 0; r < 2; r++) {
    names.forEach((n, k) => out.push(task(r * 10 + k, n, r)));
    out.push(task(r * 10 + 9, 'early-objectives', r, earlyObjectives()));
  }
  return out;
}

describe('spin-up cache', () => {
  it('gives byte-identical records to building every spin-up afresh, and reuses it across scenarios of a replication', () => {
    const prev = spinupCache();
    try {
      setSpinupCache(null);
      const fresh = plan().map((t) => JSON.stringify(executeTask(t)));
      const cache = new SpinupCache(4);
      setSpinupCache(cache);
      const cached = plan().map((t) => JSON.stringify(executeTask(t)));
      expect(cached).toEqual(fresh);
      // Per replication: baseline's spin-up serves the four scenarios whose levers start in 2007 or later;
      // no-partnering and the early lever build their own (3 misses, 4 hits).
      expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 8, misses: 6 });
      // The comparison is not vacuous: scenarios of a replication differ after 2007.
      expect(fresh[0]).not.toEqual(fresh[1]);
    } finally {
      setSpinupCache(prev);
    }
  });

  it('keys on what the spin-up reads: seed key, world parameters, early levers; not late levers or the horizon', () => {
    const base = task(0, 'baseline', 0);
    const k = spinupKey(base);
    expect(spinupKey({ ...base, run: { ...run, years: 9 } })).toBe(k);
    expect(spinupKey(task(0, 'incentivise-high-performers', 0))).toBe(k);
    expect(spinupKey({ ...base, replication: 1 })).not.toBe(k);
    expect(spinupKey({ ...base, point: 3 })).not.toBe(k);
    expect(spinupKey({ ...base, run: { ...run, startYear: 2008 } })).not.toBe(k);
    expect(spinupKey(task(0, 'no-partnering', 0))).not.toBe(k);
    expect(spinupKey(task(0, 'x', 0, earlyObjectives()))).not.toBe(k);
    const q = defaultParams();
    q.trust.initial = 0.41;
    expect(spinupKey(task(0, 'x', 0, q))).not.toBe(k);
  });
});

/** A baseline model after its spin-up (replication `rep`), its snapshot, and a way to build a second model restored from it. */
function spunUp(rep: number): { w: ReturnType<typeof worldFor>; a: Model; snap: ReturnType<Model['snapshot']>; restored: () => Model } {
  const t = task(0, 'baseline', rep);
  const w = worldFor(t);
  const settings = { ...t.run, seed: t.seed, point: t.point, replication: t.replication };
  const a = new Model(w, t.params, settings);
  const snap = a.snapshot();
  const restored = (): Model => {
    const b = new Model(w, t.params, settings);
    b.restore(snap);
    return b;
  };
  return { w, a, snap, restored };
}

describe('spin-up snapshots of reserved arrays', () => {
  it('copy only the used part of the trust pool, the log and the memberships, and restore them at full length', () => {
    const { a, snap, restored } = spunUp(3);
    const trust = (snap.state.trust as Record<string, { trimmed: Int32Array; length: number }>).other;
    const log = (snap.state.history as Record<string, { trimmed: Int16Array; length: number }>).start;
    const members = (snap.state.members as Record<string, { trimmed: Int32Array; length: number }>).school;
    // The reserve is many times what a spin-up uses; the snapshot holds what is used.
    for (const x of [trust, log, members]) expect(x.trimmed.length).toBeLessThan(x.length / 2);
    expect(log.trimmed.length).toBe(a.s.history.rows);
    expect(members.trimmed.length).toBe(a.s.members.high);
    const b = restored();
    expect(b.s.trust.capacity).toBe(a.s.trust.capacity);
    expect(b.s.history.start.length).toBe(a.s.history.start.length);
    expect(Array.from(b.run().timeseries)).toEqual(Array.from(a.run().timeseries));
  });

  it("leave out the world's arrays and the step's scratch views: a restored state reads the world's arrays and keeps its views of the scratch buffer", () => {
    const { w, a, snap, restored } = spunUp(5);
    for (const k of ['home', 'behHome', 'feeders', 'transition', 'gainAtt', 'gainBeh']) expect(k in snap.state, k).toBe(false);
    const b = restored();
    expect(b.s.home).toBe(w.quality);
    expect(b.s.behHome).toBe(w.behaviour);
    expect(b.s.feeders).toBe(w.feeders);
    for (const x of [b.s.transition, b.s.gainAtt, b.s.gainBeh]) expect(x.buffer).toBe(scratchBuffer(0));
    expect(Array.from(b.run().timeseries)).toEqual(Array.from(a.run().timeseries));
  });
});
