/**
 * Start-up work the bundle defers (scripts/lazy-text-width.mjs): yargs's text-width
 * helpers make their Intl.Segmenter and RGI emoji pattern on first use, not when the
 * command line loads, and measure text exactly as the packages themselves do.
 */
import { describe, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { MAIN, requireBuilt, ROOT } from './run-cli.js';
// @ts-expect-error: a plain ES module of the build scripts, without types
import { lazyTextWidth } from '../../scripts/lazy-text-width.mjs';

type Width = (s: string) => number;

/** Every copy of string-width the command line bundles: those yargs, cliui and wrap-ansi use (Node's lookup: their own node_modules first). */
function copies(): string[] {
  const nm = join(ROOT, 'node_modules');
  const entry = (pkg: string): string => [join(nm, pkg, 'node_modules', 'string-width', 'index.js'), join(nm, 'string-width', 'index.js')].find((p) => existsSync(p))!;
  return [...new Set(['yargs', 'cliui', 'wrap-ansi'].map(entry))];
}

/** string-width at `path` bundled to one module, with or without the deferring plugin, and loaded. */
async function load(path: string, dir: string, lazy: boolean): Promise<Width> {
  const out = join(dir, `${copies().indexOf(path)}-${lazy ? 'lazy' : 'plain'}.mjs`);
  await build({ entryPoints: [path], bundle: true, format: 'esm', platform: 'node', outfile: out, plugins: lazy ? [lazyTextWidth] : [], logLevel: 'silent' });
  return ((await import(pathToFileURL(out).href)) as { default: Width }).default;
}

const SAMPLES = [
  'plain ASCII',
  '',
  'Ofsted grade 1–2 (£ and é)',
  '古池や蛙飛び込む水の音',
  '\u001b[31mred\u001b[39m text',
  'e\u0301 combining mark',
  '👩‍👩‍👧 family, 🇬🇧 flag, 1️⃣ keycap, ☺ text-style',
  '한국어 가 jamo',
  '\u200b zero width \u00ad soft hyphen',
];

describe('start-up work deferred in the bundle', () => {
  it('the built command line makes no Intl.Segmenter or RGI emoji pattern when it loads', ({ expect }) => {
    requireBuilt();
    const src = readFileSync(MAIN, 'utf8');
    expect(src).not.toMatch(/^(?:var|let|const) \w+ = new Intl\.Segmenter\(\)/m);
    expect(src).not.toMatch(/^(?:var|let|const) \w+ = (?:new RegExp\(")?\/?\^\\\\?p\{RGI_Emoji\}/m);
    expect(src).toContain('segmenterMade');
  });

  it('each rewritten string-width measures every kind of text as the original does', async ({ expect }) => {
    const dir = mkdtempSync(join(tmpdir(), 'partnersim-width-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
      const paths = copies();
      expect(paths.length).toBeGreaterThanOrEqual(2);
      for (const path of paths) {
        const plain = await load(path, dir, false);
        const lazy = await load(path, dir, true);
        const widths = SAMPLES.map(plain);
        expect(SAMPLES.map(lazy), path).toEqual(widths);
        expect(widths[3], path).toBe(22); // eleven CJK characters, two columns each
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
