/**
 * The report in a real browser: report.html opened from disk in headless
 * Debian Chromium with every non-file request aborted logs no console error or
 * page error, draws every chart (an svg or canvas with non-zero size in each
 * container), shows the injected scenario name as literal text without running
 * it (no dialog, no <img> element), and the scenario picker works. Fails —
 * never skips — when /usr/bin/chromium is missing.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../../analysis/report/index.js';
import { compareFixture, EVIL, manyScenariosFixture, runFixture, sweepFixture } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
let root: string;
let context: BrowserContext | undefined;
const reports: Record<string, { charts: string[]; html: string }> = {};

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: install Debian's chromium package (apt-get update && apt-get install -y chromium) to run the report browser tests`,
    );
  }
  root = await mkdtemp(join(tmpdir(), 'report-browser-'));
  const [compare, sweep, run, many] = await Promise.all([
    writeReport(join(root, 'compare'), compareFixture(), { embedFonts: true }),
    writeReport(join(root, 'sweep'), sweepFixture()),
    writeReport(join(root, 'run'), runFixture()),
    writeReport(join(root, 'many'), manyScenariosFixture(12), { embedFonts: true }),
  ]);
  Object.assign(reports, { compare, sweep, run, many });
  context = await chromium.launchPersistentContext(join(root, 'user-data'), {
    executablePath: CHROMIUM,
    headless: true,
    offline: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await context?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  problems: string[];
  dialogs: string[];
  external: string[];
}

async function open(html: string, width = 1400): Promise<Opened> {
  const page = await context!.newPage();
  const problems: string[] = [];
  const dialogs: string[] = [];
  const external: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.route('**/*', (r) => {
    const url = r.request().url();
    if (url.startsWith('file:')) return r.continue();
    external.push(url);
    return r.abort();
  });
  await page.setViewportSize({ width, height: 900 });
  await page.goto(pathToFileURL(html).href);
  await page.waitForSelector('body[data-rendered="true"]', { timeout: 30_000 });
  // open the collapsed appendix and manifest, so every chart and table is laid out
  await page.$$eval('details', (ds) => ds.forEach((d) => ((d as HTMLDetailsElement).open = true)));
  await page.waitForTimeout(200);
  return { page, problems, dialogs, external };
}

async function chartSizes(page: Page): Promise<{ id: string; w: number; h: number }[]> {
  return page.$$eval('.vis', (els) =>
    els.map((el) => {
      const g = el.querySelector('svg.marks, canvas');
      const r = g ? g.getBoundingClientRect() : { width: 0, height: 0 };
      return { id: el.id, w: r.width, h: r.height };
    }),
  );
}

describe('report.html in headless Chromium (offline)', () => {
  it('draws every chart of a compare report with no errors, and escapes the injected name', async () => {
    const { page, problems, dialogs, external } = await open(reports.compare.html);
    const sizes = await chartSizes(page);
    expect(sizes.map((s) => s.id).sort()).toEqual(reports.compare.charts.map((n) => `vis-${n}`).sort());
    for (const s of sizes) {
      expect(s.w, s.id).toBeGreaterThan(100);
      expect(s.h, s.id).toBeGreaterThan(100);
    }
    // the injected name is shown as literal text in the page and in the charts
    const bodyText = await page.evaluate(() => document.body.innerText);
    expect(bodyText).toContain(EVIL);
    const svgText = await page.$$eval('.vis svg text', (ts) => ts.map((t) => t.textContent ?? ''));
    expect(svgText.some((t) => t.includes(EVIL))).toBe(true);
    expect(await page.$$eval('img', (xs) => xs.length)).toBe(0);
    // the picker highlights one scenario in every chart without errors
    const options = await page.$$eval('#scenario-pick option', (os) => os.map((o) => o.textContent));
    expect(options).toContain(EVIL);
    await page.selectOption('#scenario-pick', { label: EVIL });
    await page.waitForTimeout(200);
    await page.selectOption('#scenario-pick', '');
    await page.waitForTimeout(200);
    // hover a mark: tooltips must not inject markup either
    const box = await page.$eval('#vis-cost-effect svg', (s) => {
      const r = s.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    });
    for (let i = 1; i < 8; i++) await page.mouse.move(box.x + (box.w * i) / 8, box.y + box.h / 2);
    expect(await page.$$eval('img', (xs) => xs.length)).toBe(0);
    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  });

  it('draws a sweep report and a single run with no errors', async () => {
    for (const kind of ['sweep', 'run']) {
      const { page, problems, dialogs, external } = await open(reports[kind].html);
      const sizes = await chartSizes(page);
      expect(sizes.length, kind).toBe(reports[kind].charts.length);
      for (const s of sizes) expect(s.w * s.h, `${kind} ${s.id}`).toBeGreaterThan(0);
      const text = await page.evaluate(() => document.body.innerText);
      expect(text).not.toContain('Charts not shown');
      expect(text).toContain('Full manifest');
      if (kind === 'run') {
        expect(text).toContain('1 simulated run');
        expect(text).not.toMatch(/1 simulated runs|middle half of the runs/);
      }
      expect(problems, kind).toEqual([]);
      expect(dialogs, kind).toEqual([]);
      expect(external, kind).toEqual([]);
      await page.close();
    }
  });

  it('fits 1,280 px with 12 scenarios: no clipped text, no horizontal overflow, no chart wider than its container', async () => {
    const { page, problems, external } = await open(reports.many.html, 1280);
    const r = await page.evaluate(() => {
      const clipped: string[] = [];
      for (const e of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
        if (e.closest('svg') || e.tagName === 'SCRIPT' || e.tagName === 'STYLE') continue;
        const cs = getComputedStyle(e);
        if (cs.display === 'none' || cs.display === 'inline') continue;
        const own = Array.from(e.childNodes).some((n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '');
        if (own && e.scrollWidth > e.clientWidth + 1) clipped.push(`${e.tagName}#${e.id}: ${e.scrollWidth} > ${e.clientWidth}`);
      }
      const wide: string[] = [];
      for (const v of Array.from(document.querySelectorAll('.vis'))) {
        const svg = v.querySelector('svg.marks');
        if (svg && svg.getBoundingClientRect().width > v.getBoundingClientRect().width + 1) wide.push(v.id);
      }
      return { clipped, wide, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth, charts: document.querySelectorAll('.vis svg.marks').length };
    });
    expect(r.charts).toBe(reports.many.charts.length);
    expect(r.clipped).toEqual([]);
    expect(r.wide).toEqual([]);
    expect(r.overflow).toBeLessThanOrEqual(0);
    // the key outcomes come first, with n/a where a measure does not exist
    const headline = (await page.textContent('#headline')) ?? '';
    expect(headline).toContain('Key outcomes against the baseline');
    expect(problems).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  });
});
