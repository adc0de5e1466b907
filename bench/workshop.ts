/**
 * Speed in the room: the built workshop page driven in headless Debian Chromium, figures
 * printed (never asserted: timed tests are flaky on shared machines).
 *
 *   npm run build && node dist/bench/workshop.js [--repeat N] [--html FILE]
 *
 * For each repeat, a fresh page (so Web Worker start-up counts) at the defaults (the
 * default England: 3,300 schools, 10 years, 20 replications of baseline, the policy and
 * no partnering) and then in quick mode. Printed per run: time from pressing Run to the
 * first results on screen (one paired replication drawn), to all replications done, and
 * the load average before and after (the machine may be shared). Times are the page's
 * own (performance.now() from the Run click to the drawn charts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { packageRoot } from '../scenarios/yaml-path.js';

const CHROMIUM = '/usr/bin/chromium';

interface Timing {
  firstResultMs?: number;
  doneMs?: number;
}

interface Exposed {
  state: string;
  runs: number;
  timing?: Timing;
}

const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

async function runOnce(page: Page, quick: boolean): Promise<Timing & { status: string }> {
  const before = await page.evaluate(() => (globalThis as unknown as { partnersimWorkshop: Exposed }).partnersimWorkshop.runs);
  if (quick !== (await page.isChecked('#quick'))) {
    await page.click('#quick');
  }
  await page.click('#run');
  await page.waitForFunction((n) => {
    const w = (globalThis as unknown as { partnersimWorkshop: Exposed }).partnersimWorkshop;
    return (w.state === 'done' && w.runs > n) || w.state === 'error';
  }, before, { timeout: 600_000, polling: 50 });
  const t = await page.evaluate(() => (globalThis as unknown as { partnersimWorkshop: Exposed }).partnersimWorkshop.timing ?? {});
  return { ...t, status: (await page.textContent('#status')) ?? '' };
}

async function main(argv: string[]): Promise<void> {
  const repeat = argv.includes('--repeat') ? Number(argv[argv.indexOf('--repeat') + 1]) : 3;
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package`);
  const dir = mkdtempSync(join(tmpdir(), 'workshop-bench-'));
  let html = argv.includes('--html') ? argv[argv.indexOf('--html') + 1] : '';
  if (!html) {
    html = join(dir, 'w.html');
    execFileSync(process.execPath, [join(packageRoot(), 'dist', 'cli', 'main.js'), 'workshop', '--out', html], { stdio: 'ignore' });
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  console.log(`workshop page in headless Chromium; ${cpus().length} cores; load average ${load()} at start`);
  const s = (ms: number | undefined): string => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
  const rows: { first: number[]; full: number[]; quick: number[]; quickFirst: number[]; open: number[] } = { first: [], full: [], quick: [], quickFirst: [], open: [] };
  try {
    for (let i = 0; i < repeat; i++) {
      const page = await browser.newPage();
      await page.setViewportSize({ width: 1280, height: 720 });
      const o0 = Date.now();
      await page.goto(pathToFileURL(html).href);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
      const openMs = Date.now() - o0;
      const workers = await page.evaluate(() => (globalThis as unknown as { navigator: { hardwareConcurrency: number } }).navigator.hardwareConcurrency);
      const l0 = load();
      const full = await runOnce(page, false);
      const l1 = load();
      const quick = await runOnce(page, true);
      const l2 = load();
      console.log(
        `run ${i + 1}: page ready ${s(openMs)} (${workers} workers) | default England: first results ${s(full.firstResultMs)}, 20 replications done ${s(full.doneMs)} (load ${l0} -> ${l1}) | quick mode: first ${s(quick.firstResultMs)}, done ${s(quick.doneMs)} (load -> ${l2})`,
      );
      console.log(`  status: ${full.status}`);
      rows.open.push(openMs);
      if (full.firstResultMs !== undefined) rows.first.push(full.firstResultMs);
      if (full.doneMs !== undefined) rows.full.push(full.doneMs);
      if (quick.doneMs !== undefined) rows.quick.push(quick.doneMs);
      if (quick.firstResultMs !== undefined) rows.quickFirst.push(quick.firstResultMs);
      await page.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const med = (xs: number[]): number | undefined => {
    if (xs.length === 0) return undefined;
    const a = [...xs].sort((x, y) => x - y);
    return a[(a.length - 1) >> 1];
  };
  console.log('');
  console.log(`medians over ${repeat} runs (targets from issue 13):`);
  console.log(`  first results, default England   ${s(med(rows.first))}  (target 2 s)`);
  console.log(`  20 replications, default England ${s(med(rows.full))}  (target 20 s)`);
  console.log(`  quick mode answered               ${s(med(rows.quick))}  (target 3 s)`);
  console.log(`  page open to ready                ${s(med(rows.open))}`);
  console.log(`load average at end ${load()}`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
