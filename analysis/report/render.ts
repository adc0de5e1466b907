/**
 * Headless rendering of vega-lite specs: vega-lite → vega (`vl.compile`) → SVG
 * through a vega View with the 'none' renderer, then SVG → PNG with resvg using
 * the DejaVu Sans TTF files shipped in `dejavu-fonts-ttf` (system fonts are not
 * loaded), so PNGs are identical on every machine. Text is measured with the
 * same fonts' real glyph widths (see fontmetrics.ts). Vega's random generator is
 * reseeded before every render so any sampling or jitter is reproducible.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FONT } from './charts/common.js';
import { installDejaVuMetrics, setMeasureMode } from './fontmetrics.js';

const require = createRequire(import.meta.url);

/** DejaVu Sans font files (regular, bold, oblique, bold oblique) used for PNG output. */
export function dejaVuFontFiles(): string[] {
  const dir = dirname(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf'].map((f) => join(dir, f));
}

/** Options for `renderSpec`. */
export interface RenderOptions {
  /** PNG pixels per SVG pixel (default 2: crisp on projectors and in documents). */
  pngScale?: number;
  /** Seed for vega's random generator (default 20090701). */
  seed?: number;
}

/** The output of rendering one spec. */
export interface RenderResult {
  /** The compiled vega spec. */
  vegaSpec: vega.Spec;
  /** Standalone SVG text. */
  svg: string;
  /** SVG width and height in CSS pixels (as written on the root element). */
  width: number;
  height: number;
  /** PNG bytes. */
  png: Buffer;
  /** PNG size in pixels (`width × pngScale`, `height × pngScale`, rounded). */
  pngWidth: number;
  pngHeight: number;
}

const vegaRandom = vega as unknown as { setRandom(r: () => number): void; randomLCG(seed: number): () => number };

/** Compile a vega-lite spec to vega, throwing on compile errors. */
export function compileSpec(spec: TopLevelSpec): vega.Spec {
  return compile(spec).spec as vega.Spec;
}

/** Read the width/height attributes of an SVG's root element. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const w = /\swidth="([\d.]+)"/.exec(root);
  const h = /\sheight="([\d.]+)"/.exec(root);
  if (!w || !h) throw new Error('SVG root element has no numeric width/height');
  return { width: Number(w[1]), height: Number(h[1]) };
}

/** Largest PNG written, in pixels. */
export const MAX_PNG = { width: 2000, height: 3000 };

/**
 * Render a vega-lite spec to SVG and PNG, headless and deterministic. Calls are
 * queued so that concurrent callers never interleave.
 *
 * @param spec vega-lite spec with inline data (no URLs are loaded)
 * @param options PNG scale and random seed
 */
export function renderSpec(spec: TopLevelSpec, options: RenderOptions = {}): Promise<RenderResult> {
  // vega's random source and the text-measuring mode are process-wide: one render at a time
  const job = queue.then(() => renderNow(spec, options));
  queue = job.catch(() => undefined);
  return job;
}

let queue: Promise<unknown> = Promise.resolve();

async function renderNow(spec: TopLevelSpec, options: RenderOptions): Promise<RenderResult> {
  const scale = options.pngScale ?? 2;
  vegaRandom.setRandom(vegaRandom.randomLCG(options.seed ?? 20090701));
  const [regular, bold] = dejaVuFontFiles();
  installDejaVuMetrics(vega, regular, bold);
  const vegaSpec = compileSpec(spec);
  // A loader that refuses every URL: charts carry their data inline.
  const loader = vega.loader({ mode: 'file' });
  loader.load = async (uri: string) => {
    throw new Error(`refusing to load ${uri}: report charts must inline their data`);
  };
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', loader, logLevel: vega.Error });
  let svg: string;
  try {
    // lay out with truncated label widths, then let vega truncate with raw widths while drawing
    setMeasureMode('layout');
    await view.runAsync();
    setMeasureMode('render');
    svg = await view.toSVG();
  } finally {
    setMeasureMode('layout');
    view.finalize();
  }
  const { width, height } = svgSize(svg);
  // never beyond MAX_PNG (2,000 x 3,000): large charts get a smaller zoom instead
  const zoom = Math.min(scale, MAX_PNG.width / Math.max(1, width), MAX_PNG.height / Math.max(1, height));
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    background: 'white',
    font: { fontFiles: dejaVuFontFiles(), loadSystemFonts: false, defaultFontFamily: FONT, sansSerifFamily: FONT },
    logLevel: 'off',
  });
  const image = resvg.render();
  const png = image.asPng();
  return { vegaSpec, svg, width, height, png, pngWidth: image.width, pngHeight: image.height };
}

/** Read the pixel size from a PNG's IHDR chunk; throws if the bytes are not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || sig.some((b, i) => png[i] !== b)) throw new Error('not a PNG (bad signature)');
  const ihdr = String.fromCharCode(png[12], png[13], png[14], png[15]);
  if (ihdr !== 'IHDR') throw new Error('not a PNG (first chunk is not IHDR)');
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}
