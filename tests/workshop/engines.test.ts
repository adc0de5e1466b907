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
import { battery, engineMath } from './engine-battery.js';

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
});
