/**
 * Speed in the room: the built workshop page driven in headless Debian Chromium, figures
 * printed (never asserted: timed tests are flaky on shared machines).
 *
 *   npm run build && node dist/bench/workshop.js [--repeat N] [--html FILE] [--cold]
 *
 * --cold presses Run as soon as the page is ready, without waiting for the workers to compute
 * spin-ups ahead (a facilitator who opens the page and runs at once).
 *
 * For each repeat, a fresh page (Web Worker start-up and the warm-up, printed, before Run) at the defaults (the
 * default England: 3,300 schools, 10 years, 20 replications of baseline, the policy and
 * no partnering), again with a lever switched on (the spin-ups are reused), and then in
 * quick mode. Printed per run: time from pressing Run to the
 * first results on screen (one paired replication drawn), to all replications done, and
 * the load average before and after (the machine may be shared). Times are the page's
 * own (performance.now() from the Run click to the drawn charts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { packageRoot } from '../scenarios/yaml-path.js';

const CHROMIUM = '/usr/bin/chromium';

interface Timing {
  firstResultMs?: number;
  doneMs?: number;
  taskMs?: { scenario: string; replication: number; ms: number }[];
}

interface Exposed {
  state: string;
  runs: number;
  timing?: Timing;
}

/**
 * CPU seconds used so far by a process and all its descendants (Linux /proc; 0 elsewhere).
 * On a loaded machine wall time stretches, CPU time much less: CPU / cores bounds what the
 * same run takes on a quiet machine.
 */
function treeCpuSeconds(root: number): number {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  for (const d of entries) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), Number(f[1]));
      cpu.set(Number(d), (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  for (const [pid, t] of cpu) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        total += t;
        break;
      }
    }
  }
  return total;
}

const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

async function runOnce(page: Page, quick: boolean, pid: number): Promise<Timing & { status: string; cpuS: number }> {
  const before = await page.evaluate(() => (globalThis as unknown as { partnersimWorkshop: Exposed }).partnersimWorkshop.runs);
  if (quick !== (await page.isChecked('#quick'))) {
    await page.click('#quick');
  }
  const c0 = treeCpuSeconds(pid);
  await page.click('#run');
  await page.waitForFunction((n) => {
    const w = (globalThis as unknown as { partnersimWorkshop: Exposed }).partnersimWorkshop;
    return (w.state === 'done' && w.runs > n) || w.state === 'error';
  }, before, { timeout: 600_000, polling: 50 });
  const t = await page.evaluate(() => (globalThis as unknown as { partnersimWorkshop: Exposed }).partnersimWorkshop.timing ?? {});
  const cpuS = treeCpuSeconds(pid) - c0;
  return { ...t, cpuS, status: (await page.textContent('#status')) ?? '' };
}

async function main(argv: string[]): Promise<void> {
  const cold = argv.includes('--cold');
  const repeat = argv.includes('--repeat') ? Number(argv[argv.indexOf('--repeat') + 1]) : 3;
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package`);
  const dir = mkdtempSync(join(tmpdir(), 'workshop-bench-'));
  let html = argv.includes('--html') ? argv[argv.indexOf('--html') + 1] : '';
  if (!html) {
    html = join(dir, 'w.html');
    execFileSync(process.execPath, [join(packageRoot(), 'dist', 'cli', 'main.js'), 'workshop', '--out', html], { stdio: 'ignore' });
  }
  const server = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  const pid = server.process().pid ?? 0;
  const browser = await chromium.connect(server.wsEndpoint());
  const cores = cpus().length;
  console.log(`workshop page in headless Chromium; ${cores} cores; load average ${load()} at start`);
  const med = (xs: number[]): number | undefined => {
    if (xs.length === 0) return undefined;
    const a = [...xs].sort((x, y) => x - y);
    return a[(a.length - 1) >> 1];
  };
  const s = (ms: number | undefined): string => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
  const rows: { first: number[]; full: number[]; quick: number[]; quickFirst: number[]; open: number[]; fullCpu: number[]; quickCpu: number[]; again: number[]; againFirst: number[] } = { first: [], full: [], quick: [], quickFirst: [], open: [], fullCpu: [], quickCpu: [], again: [], againFirst: [] };
  try {
    for (let i = 0; i < repeat; i++) {
      const page = await browser.newPage();
      await page.setViewportSize({ width: 1280, height: 720 });
      const o0 = Date.now();
      await page.goto(pathToFileURL(html).href);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
      const openMs = Date.now() - o0;
      // a facilitator talks before pressing Run: wait until the workers have warmed up and
      // computed the spin-ups ahead (the time is printed)
      if (!cold) await page.waitForFunction(() => {
        const g = globalThis as unknown as { partnersimWorkshop: { warmed: number; warming: number }; navigator: { hardwareConcurrency: number } };
        return g.partnersimWorkshop.warmed >= Math.min(32, g.navigator.hardwareConcurrency || 2) && g.partnersimWorkshop.warming === 0;
      }, null, { timeout: 300_000, polling: 100 });
      const warmMs = Date.now() - o0;
      const workers = await page.evaluate(() => (globalThis as unknown as { navigator: { hardwareConcurrency: number } }).navigator.hardwareConcurrency);
      const l0 = load();
      const full = await runOnce(page, false, pid);
      const l1 = load();
      // the facilitator switches a lever on and runs again (same seed and size: spin-ups reused)
      await page.check('#clearObjectives-enabled');
      await page.dispatchEvent('#clearObjectives-enabled', 'change');
      const again = await runOnce(page, false, pid);
      const quick = await runOnce(page, true, pid);
      const l2 = load();
      console.log(
        `run ${i + 1}: page ready ${s(openMs)}, ${cold ? 'Run pressed at once' : 'workers warm'} ${s(warmMs)} (${workers} workers) | default England: first results ${s(full.firstResultMs)}, 20 replications done ${s(full.doneMs)}, CPU ${full.cpuS.toFixed(1)} s (load ${l0} -> ${l1}) | again with a lever changed: first ${s(again.firstResultMs)}, done ${s(again.doneMs)}, CPU ${again.cpuS.toFixed(1)} s | quick mode: first ${s(quick.firstResultMs)}, done ${s(quick.doneMs)}, CPU ${quick.cpuS.toFixed(1)} s (load -> ${l2})`,
      );
      console.log(`  status: ${full.status}`);
      const per = new Map<string, number[]>();
      for (const t of full.taskMs ?? []) per.set(t.scenario, [...(per.get(t.scenario) ?? []), t.ms]);
      console.log(`  task time in the workers (replication 0, then median of the rest): ${[...per].map(([k, v]) => `${k} ${v[0]} ms, ${med(v.slice(1))} ms`).join('; ')}`);
      rows.open.push(openMs);
      rows.again.push(again.doneMs ?? NaN);
      rows.againFirst.push(again.firstResultMs ?? NaN);
      rows.fullCpu.push(full.cpuS * 1000);
      rows.quickCpu.push(quick.cpuS * 1000);
      if (full.firstResultMs !== undefined) rows.first.push(full.firstResultMs);
      if (full.doneMs !== undefined) rows.full.push(full.doneMs);
      if (quick.doneMs !== undefined) rows.quick.push(quick.doneMs);
      if (quick.firstResultMs !== undefined) rows.quickFirst.push(quick.firstResultMs);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('');
  console.log(`medians over ${repeat} runs (targets from issue 13):`);
  console.log(`  first results, default England   ${s(med(rows.first))}  (target 2 s)`);
  console.log(`  20 replications, default England ${s(med(rows.full))}  (target 20 s)`);
  console.log(`  20 replications again, a lever changed ${s(med(rows.again))}  (first results ${s(med(rows.againFirst))})`);
  console.log(`  quick mode answered               ${s(med(rows.quick))}  (target 3 s)`);
  console.log(`  page open to ready                ${s(med(rows.open))}`);
  const c = (xs: number[]): string => { const m = med(xs); return m === undefined ? 'n/a' : `${(m / 1000).toFixed(1)} s CPU, so at least ${(m / 1000 / cores).toFixed(1)} s on ${cores} quiet cores`; };
  console.log(`  Chromium's CPU time (all its processes), default England: ${c(rows.fullCpu)}; quick mode: ${c(rows.quickCpu)}`);
  console.log(`load average at end ${load()}`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
