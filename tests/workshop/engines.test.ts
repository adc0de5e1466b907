/**
 * The shared numerics give the same bits in Debian's Chromium as in Node: the battery of
 * engine-battery.ts (portable exp/log/pow/cos/sin, normal, t, chi-square and Kolmogorov
 * distributions, BCa intervals) bundled with esbuild and run in a headless page, compared
 * number by number with Object.is. The engines' own Math.exp/log/pow/cos/sin are checked
 * too, to show what the portable functions are for (they differ between these V8 builds;
 * reported, not asserted, as a future engine may agree).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { battery, engineMath, statsOf } from './engine-battery.js';
import { executeTask, type TaskRecord } from '../../workers/task.js';
import { loadScenario } from '../../scenarios/loader.js';

const CHROMIUM = '/usr/bin/chromium';
let browser: Browser | undefined;
let code = '';

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install -y chromium)`);
  const r = await build({ entryPoints: [join(__dirname, 'engine-battery.ts')], bundle: true, format: 'iife', globalName: 'battery', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning' });
  code = r.outputFiles[0].text;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
});

afterAll(async () => {
  await browser?.close();
});

function differing(a: number[], b: number[]): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) d++;
  return d;
}

describe('numerics in Chromium and in Node', () => {
  it('the portable functions, distributions and BCa intervals give identical bits', async () => {
    const page = await browser!.newPage();
    const web = (await page.evaluate(`${code}; ({ battery: battery.battery(), engine: battery.engineMath() })`)) as { battery: number[]; engine: number[] };
    await page.close();
    const node = battery();
    expect(web.battery.length).toBe(node.length);
    expect(node.length).toBeGreaterThan(120_000);
    expect(differing(web.battery, node)).toBe(0);
    // what the engines' own functions do on the same arguments (informational)
    const own = differing(web.engine, engineMath());
    console.log(`engine Math.exp/log/log1p/pow/cos/sin: ${own} of ${web.engine.length} results differ between Chromium and Node`);
  });

  it('compare() gives the same results, every field to the bit, on the same records', async () => {
    // Settings where the statistics with the engines' Math functions differed between Chromium
    // and Node (BCa interval ends and their mcError, e.g. partnerships_alive.bcaInterval.mcError.low
    // 0.06666666666666732 vs 0.0666666666666682; Mann-Whitney and Wilcoxon normal-approximation p).
    const names = ['baseline', 'incentivise-high-performers', 'no-partnering'];
    const scs = names.map((n) => loadScenario(n));
    const page = await browser!.newPage();
    await page.addScriptTag({ content: code });
    let fields = 0;
    for (const [reps, schools, years, seed] of [
      [5, 150, 3, 1],
      [10, 200, 3, 3],
    ]) {
      const recs: TaskRecord[] = [];
      scs.forEach((sc, s) => {
        for (let r = 0; r < reps; r++) recs.push(executeTask({ id: s * reps + r, scenario: sc.name, params: sc.params, run: { years, stepsPerYear: 3, startYear: 2007, schools }, seed, point: 0, replication: r, survival: r < 3 }));
      });
      const node = statsOf(recs, names, reps, years, seed);
      const web = (await page.evaluate(([r, n, rp, y, sd]) => (globalThis as unknown as { battery: { statsOf: (...a: unknown[]) => string } }).battery.statsOf(r, n, rp, y, sd), [recs, names, reps, years, seed] as const)) as string;
      expect(JSON.parse(web)).toStrictEqual(JSON.parse(node));
      expect(web).toBe(node);
      fields += node.split(',').length;
    }
    expect(fields).toBeGreaterThan(2000);
    await page.close();
  });
});
