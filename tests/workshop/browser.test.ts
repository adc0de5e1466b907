/**
 * The workshop page in a real browser: `partnersim workshop --out` written by the built
 * CLI, opened from disk in headless Debian Chromium with every non-file request
 * aborted. A facilitator's path: set levers, Run, wait; the page's numbers equal
 * `partnersim compare --json` for the downloaded scenario and the shown command; a slider
 * moved mid-run restarts cleanly; Cancel stops; a bad scenario file gets the CLI's message;
 * keyboard reaches Run; no console error, no network request; at 1,280x720, 1,920x1,080 and
 * at 200% zoom (640x360 CSS pixels) no text is clipped and nothing overflows sideways,
 * and text is at least 18 px at 1,280x720. Screenshots go to a temporary folder, or to
 * WORKSHOP_SCREENSHOTS (scripts/workshop-screenshots.sh writes docs/ that way).
 * Small settings (150 schools, 3 years, 3 replications) keep it quick in CI.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuilt, ROOT } from '../cli/run-cli.js';

const CHROMIUM = '/usr/bin/chromium';
const SMALL = { reps: 3, schools: 150, years: 3, seed: 5 };
let root = '';
let html = '';
let context: BrowserContext | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install -y chromium) to run the workshop browser test`);
  requireBuilt();
  root = await mkdtemp(join(tmpdir(), 'workshop-browser-'));
  html = join(root, 'w.html');
  const r = await cli(['workshop', '--out', html]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('works offline');
  context = await chromium.launchPersistentContext(join(root, 'user-data'), {
    executablePath: CHROMIUM,
    headless: true,
    offline: true,
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await context?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  problems: string[];
  external: string[];
}

async function open(width: number, height: number): Promise<Opened> {
  const page = await context!.newPage();
  const problems: string[] = [];
  const external: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('file:') && !u.startsWith('blob:') && !u.startsWith('data:')) external.push(u);
  });
  await page.route('**/*', (r) => (r.request().url().startsWith('file:') ? r.continue() : r.abort()));
  await page.setViewportSize({ width, height });
  await page.goto(pathToFileURL(html).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  return { page, problems, external };
}

async function setValue(page: Page, selector: string, value: string): Promise<void> {
  await page.fill(selector, value);
  await page.dispatchEvent(selector, 'change');
}

async function settle(page: Page, runs: number): Promise<void> {
  await page.waitForFunction((n) => {
    const w = (window as unknown as { partnersimWorkshop: { state: string; runs: number } }).partnersimWorkshop;
    return w.state === 'done' && w.runs >= n;
  }, runs, { timeout: 240_000 });
}

/** Elements whose text is cut off, and how far the page overflows sideways. */
async function layoutProblems(page: Page): Promise<{ clipped: string[]; overflow: number; svgWider: string[]; small: string[] }> {
  return page.evaluate(() => {
    const clipped: string[] = [];
    const small: string[] = [];
    for (const e of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      if (e.closest('svg') || e.tagName === 'SCRIPT' || e.tagName === 'STYLE' || e.closest('[hidden]')) continue;
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || e.classList.contains('sr-only')) continue;
      const ownText = Array.from(e.childNodes).some((n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '') || e.tagName === 'SELECT' || e.tagName === 'BUTTON';
      if (!ownText) continue;
      if (cs.display !== 'inline' && e.scrollWidth > e.clientWidth + 1) clipped.push(`${e.tagName}#${e.id}.${e.className}: ${e.scrollWidth} > ${e.clientWidth} "${(e.textContent ?? '').slice(0, 40)}"`);
      if (parseFloat(cs.fontSize) < 18) small.push(`${e.tagName}#${e.id}: ${cs.fontSize} "${(e.textContent ?? '').slice(0, 30)}"`);
    }
    const svgWider: string[] = [];
    for (const v of Array.from(document.querySelectorAll<HTMLElement>('.vis'))) {
      const s = v.querySelector('svg');
      if (s && s.getBoundingClientRect().width > v.getBoundingClientRect().width + 1) svgWider.push(v.id);
      for (const t of Array.from(v.querySelectorAll('text'))) {
        const fs = parseFloat(getComputedStyle(t).fontSize);
        if ((t.textContent ?? '').trim() && fs < 18) small.push(`svg text ${v.id}: ${fs}px "${t.textContent}"`);
      }
    }
    return { clipped, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth, svgWider, small };
  });
}

/** Walk two JSON values: every leaf compared exactly (Object.is, so 0 and -0 differ too); the paths that differ. */
function compareLeaves(a: unknown, b: unknown): { leaves: number; numbers: number; mismatched: string[] } {
  const out = { leaves: 0, numbers: 0, mismatched: [] as string[] };
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object') {
      const keys = new Set([...Object.keys(x as object), ...Object.keys(y as object)]);
      for (const k of keys) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`);
      return;
    }
    out.leaves++;
    if (typeof y === 'number') out.numbers++;
    if (!Object.is(x, y)) out.mismatched.push(`${path}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  };
  walk(a, b, '');
  return out;
}

const shotDir = (): string => {
  const d = process.env.WORKSHOP_SCREENSHOTS ? resolve(ROOT, process.env.WORKSHOP_SCREENSHOTS) : join(root, 'shots');
  mkdirSync(d, { recursive: true });
  return d;
};

describe('the workshop page in headless Chromium (offline)', () => {
  it('runs a policy set with the levers and shows the same numbers as compare --json, with no errors or requests', async () => {
    const { page, problems, external } = await open(1280, 720);
    // levers: the incentive for higher performers at strength 1.2 from 2008, and clear objectives
    await page.check('#incentiveHighPerformers-enabled');
    await page.dispatchEvent('#incentiveHighPerformers-enabled', 'change');
    await setValue(page, '#incentiveHighPerformers-strength', '1.2');
    await setValue(page, '#incentiveHighPerformers-startYear', '2008');
    await page.check('#clearObjectives-enabled');
    await page.dispatchEvent('#clearObjectives-enabled', 'change');
    for (const [k, v] of Object.entries(SMALL)) await setValue(page, `#${k}`, String(v));
    await page.click('#run');
    await settle(page, 1);
    const pageDoc = await page.evaluate(() => JSON.stringify((window as unknown as { partnersimWorkshop: { document: unknown } }).partnersimWorkshop.document));
    // the downloaded scenario and the shown command reproduce the numbers exactly
    await page.click('#show-command');
    const command = (await page.textContent('#command-text')) ?? '';
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('workshop-policy.yaml');
    const file = join(root, 'workshop-policy.yaml');
    await download.saveAs(file);
    const yaml = readFileSync(file, 'utf8');
    expect(yaml).toMatch(/incentiveHighPerformers:\n\s+enabled: true\n\s+startYear: 2008\n\s+strength: 1.2/);
    expect(command).toBe(`npx partnersim compare --scenarios workshop-policy.yaml --reps ${SMALL.reps} --seed ${SMALL.seed} --schools ${SMALL.schools} --years ${SMALL.years} --json`);
    const args = command.replace(/^npx partnersim /, '').split(' ');
    const r = await cli(args, root);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { manifest: Record<string, unknown>; results: Record<string, unknown> };
    expect(Object.keys(doc.results)).toEqual(['baseline', 'workshop-policy', 'no-partnering']);
    // Same engine, seeds and statistics code: the whole compare --json document, every number
    // to the last bit (the engine and statistics use sim/fmath.ts, not the engines' Math.exp/log,
    // which differ between Chromium's and Node's V8). The manifest is the CLI's own; the page's
    // says only seed, replications and run, which must agree.
    const { manifest: pageManifest, ...pageRest } = JSON.parse(pageDoc) as Record<string, unknown>;
    const { manifest, ...cliRest } = doc;
    const cmp = compareLeaves(pageRest, cliRest);
    expect(cmp.numbers).toBeGreaterThan(1000);
    expect(cmp.mismatched).toEqual([]);
    expect(pageRest).toStrictEqual(cliRest);
    expect(pageManifest).toEqual({ seed: manifest.seed, replications: manifest.replications, run: manifest.run });
    // the sentences quote the comparison's numbers
    const att = (doc.results['workshop-policy'] as Record<string, { pairedMean: number }>).attainment_mean.pairedMean;
    const sentence = (await page.textContent('#sentence-attainment_mean')) ?? '';
    // A difference that rounds to 0.00 is said to be the same as the baseline's, with its interval.
    if (Math.abs(att) < 0.005) expect(sentence).toContain('is the same as under the baseline (95% interval');
    else expect(sentence).toContain(Math.abs(att).toFixed(2));
    expect(await page.$$eval('.vis svg', (s) => s.length)).toBe(5);

    // 1,280 x 720: readable, nothing clipped, nothing sideways
    const lp = await layoutProblems(page);
    expect(lp.clipped).toEqual([]);
    expect(lp.svgWider).toEqual([]);
    expect(lp.overflow).toBeLessThanOrEqual(0);
    expect(lp.small).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shotDir(), 'workshop-1280x720.png') });
    // 1,920 x 1,080
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(300);
    await page.evaluate(() => window.scrollTo(0, 0));
    const big = await layoutProblems(page);
    expect(big.clipped).toEqual([]);
    expect(big.svgWider).toEqual([]);
    expect(big.overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(shotDir(), 'workshop-1920x1080.png') });
    // 200% zoom of a 1,280 x 720 screen is 640 x 360 CSS pixels
    await page.setViewportSize({ width: 640, height: 360 });
    await page.waitForTimeout(300);
    const zoom = await layoutProblems(page);
    expect(zoom.clipped).toEqual([]);
    expect(zoom.svgWider).toEqual([]);
    expect(zoom.overflow).toBeLessThanOrEqual(0);

    expect(problems).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  });

  it('restarts cleanly when a slider moves mid-run, cancels, takes the keyboard, and checks loaded files with the CLI’s messages', async () => {
    const { page, problems, external } = await open(1280, 720);
    // 600 schools: each run takes long enough that the slider surely moves mid-run
    for (const [k, v] of Object.entries({ ...SMALL, reps: 6, schools: 600 })) await setValue(page, `#${k}`, String(v));
    await page.check('#mandatedPairing-enabled');
    await page.dispatchEvent('#mandatedPairing-enabled', 'change');
    await page.click('#run');
    await page.waitForFunction(() => (document.getElementById('progress') as HTMLProgressElement).value >= 1, null, { timeout: 60_000 });
    await setValue(page, '#mandatedPairing-share', '0.8');
    await settle(page, 1);
    const y = await page.evaluate(() => (window as unknown as { partnersimWorkshop: { yaml: string } }).partnersimWorkshop.yaml);
    expect(y).toMatch(/mandatedPairing:\n\s+enabled: true\n\s+startYear: \d+\n\s+share: 0.8/);
    expect(await page.textContent('#status')).toMatch(/^Done: 18 simulated runs/);
    // the first run was stopped when the slider moved, so only the restarted one completed
    expect(await page.evaluate(() => (window as unknown as { partnersimWorkshop: { runs: number } }).partnersimWorkshop.runs)).toBe(1);

    // Cancel stops a run and says so
    await page.click('#run');
    await page.click('#cancel');
    await page.waitForFunction(() => (window as unknown as { partnersimWorkshop: { state: string } }).partnersimWorkshop.state === 'cancelled');
    expect(await page.textContent('#status')).toContain('cancelled');
    expect(await page.isEnabled('#run')).toBe(true);

    // keyboard: Shift+Tab from Quick mode reaches Run (Cancel is disabled), and Enter starts it
    await page.focus('#quick');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('run');
    await page.keyboard.press('Enter');
    await settle(page, 2);

    // a bad file gets the CLI's message (the CLI names the file by path, the page by name)
    const bad = 'version: 1\nname: typo\ndescription: x\nextends: baseline\nlevers:\n  clearObjectives:\n    enabeld: true\n';
    const badFile = join(root, 'typo.yaml');
    writeFileSync(badFile, bad);
    const v = await cli(['validate', badFile]);
    expect(v.code).toBe(2);
    const cliMsg = v.stderr.trim().replace(`${badFile}: `, 'typo.yaml: ');
    await page.setInputFiles('#load', { name: 'typo.yaml', mimeType: 'application/x-yaml', buffer: Buffer.from(bad) });
    await page.waitForSelector('#error:not([hidden])');
    expect((await page.textContent('#error'))?.trim()).toBe(cliMsg);
    // a good file sets the levers
    const good = 'version: 1\nname: mine\ndescription: governors and objectives\nextends: baseline\nlevers:\n  governorOversight:\n    enabled: true\n    startYear: 2010\n';
    await page.setInputFiles('#load', { name: 'mine.yaml', mimeType: 'application/x-yaml', buffer: Buffer.from(good) });
    await page.waitForFunction(() => (document.getElementById('governorOversight-enabled') as HTMLInputElement).checked);
    expect(await page.inputValue('#governorOversight-startYear')).toBe('2010');
    expect(await page.textContent('#loaded')).toContain('mine.yaml');

    expect(problems).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  });
});
