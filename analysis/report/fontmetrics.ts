/**
 * Text measurement for headless vega. Without a canvas, vega guesses every
 * character to be 0.8 em wide, which truncates labels far too early; here we read
 * the real advance widths of DejaVu Sans (regular and bold) from the TTF files
 * (tables `head`, `hhea`, `hmtx`, `cmap` format 4) and install them as vega's
 * `textMetrics.width`, so the SVG layout matches what resvg draws. Kerning is
 * ignored (it only ever makes text slightly narrower than measured).
 */
import { readFileSync } from 'node:fs';

/** Advance widths of one font, in font units. */
export interface FontWidths {
  unitsPerEm: number;
  /** Advance width by Unicode code point (BMP only). */
  advance: Map<number, number>;
  /** Advance width used for characters the font lacks (.notdef). */
  fallback: number;
}

interface TableDir {
  [tag: string]: { offset: number; length: number };
}

function tables(buf: Buffer): TableDir {
  const n = buf.readUInt16BE(4);
  const dir: TableDir = {};
  for (let i = 0; i < n; i++) {
    const rec = 12 + 16 * i;
    const tag = buf.toString('latin1', rec, rec + 4);
    dir[tag] = { offset: buf.readUInt32BE(rec + 8), length: buf.readUInt32BE(rec + 12) };
  }
  return dir;
}

/** Parse the advance widths of a TrueType font file. */
export function readFontWidths(file: string): FontWidths {
  const buf = readFileSync(file);
  const dir = tables(buf);
  for (const t of ['head', 'hhea', 'hmtx', 'cmap']) if (!dir[t]) throw new Error(`${file}: no ${t} table`);
  const unitsPerEm = buf.readUInt16BE(dir.head.offset + 18);
  const numH = buf.readUInt16BE(dir.hhea.offset + 34);
  const glyphAdvance = (g: number): number => buf.readUInt16BE(dir.hmtx.offset + 4 * Math.min(g, numH - 1));
  // find a Unicode BMP cmap subtable in format 4
  const cmap = dir.cmap.offset;
  const nSub = buf.readUInt16BE(cmap + 2);
  let sub = -1;
  for (let i = 0; i < nSub; i++) {
    const platform = buf.readUInt16BE(cmap + 4 + 8 * i);
    const encoding = buf.readUInt16BE(cmap + 6 + 8 * i);
    const off = cmap + buf.readUInt32BE(cmap + 8 + 8 * i);
    if (buf.readUInt16BE(off) === 4 && ((platform === 3 && encoding === 1) || platform === 0)) {
      sub = off;
      if (platform === 3) break;
    }
  }
  if (sub < 0) throw new Error(`${file}: no format-4 Unicode cmap`);
  const segX2 = buf.readUInt16BE(sub + 6);
  const ends = sub + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const rangeOffs = deltas + segX2;
  const advance = new Map<number, number>();
  for (let s = 0; s < segX2 / 2; s++) {
    const end = buf.readUInt16BE(ends + 2 * s);
    const start = buf.readUInt16BE(starts + 2 * s);
    const delta = buf.readInt16BE(deltas + 2 * s);
    const ro = buf.readUInt16BE(rangeOffs + 2 * s);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let g: number;
      if (ro === 0) g = (c + delta) & 0xffff;
      else {
        const at = rangeOffs + 2 * s + ro + 2 * (c - start);
        g = buf.readUInt16BE(at);
        if (g !== 0) g = (g + delta) & 0xffff;
      }
      if (g !== 0) advance.set(c, glyphAdvance(g));
    }
  }
  return { unitsPerEm, advance, fallback: glyphAdvance(0) };
}

/** Width in pixels of `text` set in `font` at `size` px. */
export function measureText(font: FontWidths, text: string, size: number): number {
  let units = 0;
  for (const ch of text) units += font.advance.get(ch.codePointAt(0) ?? 0) ?? font.fallback;
  return (units / font.unitsPerEm) * size;
}

/** The part of vega's scenegraph item that decides a text's width. */
interface TextItem {
  fontSize?: number | string;
  fontWeight?: string | number;
  limit?: number;
  ellipsis?: string;
}

let installed: { regular: FontWidths; bold: FontWidths } | null = null;

/**
 * 'layout': vega is computing bounds, so report the width of the text as it will
 * be drawn, i.e. truncated to the item's `limit` the way vega truncates.
 * 'render': vega's own truncation is measuring candidate substrings, so report
 * raw widths. (A canvas-less vega calls a user-defined width function for both.)
 */
let mode: 'layout' | 'render' = 'layout';

/** Switch measuring between layout (truncated widths) and rendering (raw widths). */
export function setMeasureMode(m: 'layout' | 'render'): void {
  mode = m;
}

/** Width of `text` after vega-style truncation to `limit` (prefix + ellipsis). */
function truncatedWidth(raw: (t: string) => number, text: string, limit: number, ellipsis: string): number {
  if (raw(text) < limit) return raw(text);
  const room = limit - raw(ellipsis);
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = 1 + ((lo + hi) >>> 1);
    if (raw(text.slice(0, mid)) < room) lo = mid;
    else hi = mid - 1;
  }
  return raw(text.slice(0, lo) + ellipsis);
}

function isBold(w: string | number | undefined): boolean {
  if (w === undefined || w === null) return false;
  if (typeof w === 'number') return w >= 600;
  return w === 'bold' || w === 'bolder' || Number(w) >= 600;
}

/**
 * Make vega measure text with DejaVu Sans metrics instead of its 0.8 em guess.
 * Idempotent; affects the given vega module's `textMetrics` object.
 *
 * @param vegaModule the imported `vega` namespace
 * @param regularFile path of DejaVuSans.ttf
 * @param boldFile path of DejaVuSans-Bold.ttf
 */
export function installDejaVuMetrics(vegaModule: unknown, regularFile: string, boldFile: string): void {
  if (!installed) installed = { regular: readFontWidths(regularFile), bold: readFontWidths(boldFile) };
  const fonts = installed;
  const tm = (vegaModule as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;
  const cache = new Map<string, number>();
  tm.width = (item: TextItem, text: unknown): number => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const s = text == null ? '' : String(text).trim();
    if (size <= 0 || s === '') return 0;
    const bold = isBold(item.fontWeight);
    const raw = (t: string): number => {
      const key = `${bold ? 'b' : 'r'}${size}|${t}`;
      let w = cache.get(key);
      if (w === undefined) {
        w = measureText(bold ? fonts.bold : fonts.regular, t, size);
        if (cache.size > 20000) cache.clear();
        cache.set(key, w);
      }
      return w;
    };
    const limit = Number(item.limit ?? 0);
    if (mode === 'layout' && limit > 0) return truncatedWidth(raw, s, limit, item.ellipsis || '\u2026');
    return raw(s);
  };
}
