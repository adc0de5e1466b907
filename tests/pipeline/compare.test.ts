/**
 * The shared compare pipeline: plan expansion and seeds, the scenario list, unique
 * names, arrival-order independence of the collected result, and that nothing it pulls
 * in at run time imports Node (the workshop page bundles it for the browser).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkUniqueNames, expandPlan, runComparePipeline, scenarioList, type Dispatch } from '../../pipeline/compare.js';
import { DEFAULT_RUN, loadScenario } from '../../scenarios/loader.js';
import { executeTask } from '../../workers/task.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('scenarioList', () => {
  it.each([
    ['a,b', 'baseline', ['baseline', 'a', 'b']],
    [' b , baseline ,a,b ', 'baseline', ['baseline', 'b', 'a']],
    ['all', 'x', ['x', 'p', 'q']],
    ['q,all', 'p', ['p', 'q']],
  ])('%s with baseline %s gives %j', (list, baseline, want) => {
    expect(scenarioList(list, baseline, ['p', 'q'])).toEqual(want);
  });

  it('rejects an empty list, naming the option', () => {
    expect(() => scenarioList(' , ', 'baseline', [])).toThrow(/--scenarios/);
  });
});

describe('checkUniqueNames', () => {
  it('names both sources of a repeated scenario name', () => {
    const b = loadScenario('baseline');
    expect(() => checkUniqueNames([b, b], ['baseline', 'copy.yaml'])).toThrow(/two scenarios are named 'baseline' \(baseline and copy.yaml\)/);
    expect(() => checkUniqueNames([b, loadScenario('no-partnering')], ['baseline', 'no-partnering'])).not.toThrow();
  });
});

describe('expandPlan', () => {
  it('gives every scenario x replication its own id in plan order, the same seed keys across scenarios, survival for the first three and the network for the first', () => {
    const scs = [loadScenario('baseline'), loadScenario('clear-objectives')];
    const run = { ...DEFAULT_RUN, schools: 50, years: 2 };
    const tasks = expandPlan(scs, run, 7, 4);
    expect(tasks.map((t) => t.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(tasks.map((t) => t.scenario)).toEqual(['baseline', 'baseline', 'baseline', 'baseline', 'clear-objectives', 'clear-objectives', 'clear-objectives', 'clear-objectives']);
    expect(tasks.map((t) => t.replication)).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    expect(tasks.every((t) => t.seed === 7 && t.point === 0 && t.run === run)).toBe(true);
    expect(tasks.map((t) => !!t.survival)).toEqual([true, true, true, false, true, true, true, false]);
    expect(tasks.map((t) => !!t.network)).toEqual([true, false, false, false, true, false, false, false]);
    expect(tasks[4].params).toBe(scs[1].params);
  });
});

describe('runComparePipeline', () => {
  it('gives identical results whatever order the injected dispatch delivers records in', async () => {
    const scs = [loadScenario('baseline'), loadScenario('no-partnering'), loadScenario('clear-objectives')];
    const plan = { scenarios: scs, baseline: 'baseline', run: { ...DEFAULT_RUN, schools: 120, years: 2 }, seed: 11, reps: 5 };
    const inOrder: Dispatch = async (tasks, onRecord) => tasks.forEach((t) => onRecord(executeTask(t)));
    const reversed: Dispatch = async (tasks, onRecord) => [...tasks].reverse().forEach((t) => onRecord(executeTask(t)));
    let seen = 0;
    const a = await runComparePipeline(plan, inOrder, () => seen++);
    const b = await runComparePipeline(plan, reversed);
    expect(seen).toBe(15);
    expect(a.tasks).toHaveLength(15);
    expect(JSON.stringify(b.comparison)).toBe(JSON.stringify(a.comparison));
    // The difference is paired: its estimate is the mean of per-replication differences.
    const j = 0;
    const own = a.agg.column('clear-objectives', j);
    const base = a.agg.column('baseline', j);
    let d = 0;
    for (let r = 0; r < 5; r++) d += (own[r] - base[r]) / 5;
    expect(a.comparison.results['clear-objectives'][a.comparison.outcomes[j].id].pairedMean).toBeCloseTo(d, 12);
  });
});

describe('browser safety', () => {
  it('imports nothing from Node at run time, transitively from pipeline/compare.ts', () => {
    const seen = new Set<string>();
    const nodeImports: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+['"]([^'"]+)['"]/gms)) {
        const spec = m[1];
        if (spec.startsWith('node:') || ['fs', 'path', 'os', 'url', 'worker_threads', 'crypto'].includes(spec)) nodeImports.push(`${file}: ${spec}`);
        else if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      }
    };
    visit(join(root, 'pipeline/compare.ts'));
    expect(seen.size).toBeGreaterThan(5);
    expect(nodeImports).toEqual([]);
  });
});
