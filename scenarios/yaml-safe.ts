/**
 * Parsing YAML (and JSON) written by users into plain data without trusting it:
 * the scenario, sweep and column-mapping loaders all read through here (issue 14).
 * Guards, each an InputError naming the file: a size limit, the YAML library's
 * alias-expansion limit (an "alias bomb" expands a few lines into billions of
 * nodes), a nesting limit (deep nesting overflows the stack of a recursive
 * parser or validator), and keys that would reach an object's prototype
 * (`__proto__`, `constructor`, `prototype`) anywhere in the document.
 */
import { InputError } from '../sim/errors.js';
import { yamlLib } from './libs.js';

/** Largest file accepted (bytes of text); scenario, sweep and mapping files are a few kilobytes. */
export const MAX_YAML_CHARS = 1 << 20;
/** Deepest nesting of mappings and lists accepted. */
export const MAX_YAML_DEPTH = 64;
/** Most alias expansions accepted (the YAML library's own guard, tightened). */
export const MAX_YAML_ALIASES = 100;
/** Keys that would read or write an object's prototype chain. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Is `key` an own property of `obj` (never one inherited from Object.prototype)? */
export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** A value for a message: JSON, shortened so a huge value never floods the terminal. */
export function shortJson(v: unknown, max = 60): string {
  let s: string;
  try {
    s = v === undefined ? 'nothing' : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max)}... (${s.length.toLocaleString('en-GB')} characters)` : s;
}

/**
 * Parse YAML text into plain data, or throw an InputError naming `file` (and the
 * line for syntax errors). `what` words the file in messages ("YAML", "JSON/YAML").
 */
export function parseYamlSafe(text: string, file: string, what = 'YAML'): unknown {
  if (text.length > MAX_YAML_CHARS) {
    throw InputError.at(file, undefined, `the file is too large (${text.length.toLocaleString('en-GB')} characters); expected at most ${MAX_YAML_CHARS.toLocaleString('en-GB')}`);
  }
  const deep = nestingBeyond(text, MAX_YAML_DEPTH);
  if (deep !== undefined) throw InputError.at(file, `line ${deep}`, `not valid ${what}: nested too deeply; expected at most ${MAX_YAML_DEPTH} levels`);
  const { LineCounter, parseDocument } = yamlLib();
  const lines = new LineCounter();
  let value: unknown;
  try {
    // prettyErrors is off (it adds multi-line context to messages), so positions come from our own line counter.
    // logLevel 'error': the library's warnings (a collection used as a key, ...) would reach stderr; such keys fail validation instead.
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines, logLevel: 'error' });
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const pos = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
      const where = pos ? `line ${pos.line}, column ${pos.col}` : undefined;
      const msg = /call stack/i.test(err.message) ? `nested too deeply; expected at most ${MAX_YAML_DEPTH} levels` : err.message.split('\n')[0];
      throw InputError.at(file, where, `not valid ${what}: ${msg}`);
    }
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    if (e instanceof InputError) throw e;
    const m = e instanceof Error ? e.message : String(e);
    if (/alias/i.test(m)) throw InputError.at(file, undefined, `not valid ${what}: too many aliases (*name) expand into too much data; expected at most ${MAX_YAML_ALIASES} alias expansions`);
    if (e instanceof RangeError || /call stack/i.test(m)) throw InputError.at(file, undefined, `not valid ${what}: nested too deeply; expected at most ${MAX_YAML_DEPTH} levels`);
    throw InputError.at(file, undefined, `not valid ${what}: ${m.split('\n')[0]}`);
  }
  checkShape(value, file);
  return value;
}

/**
 * A cheap look at the text before parsing (the parser takes long to fail on
 * thousands of levels): the line where flow brackets, or block indentation, first
 * nest deeper than `max`; undefined if they never do. Quoted text and comments are
 * skipped roughly; {@link checkShape} checks the parsed result exactly.
 */
function nestingBeyond(text: string, max: number): number | undefined {
  let flow = 0;
  let line = 1;
  const indents: number[] = [];
  let quote = '';
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      atLineStart = true;
      if (quote === "'" || quote === '"') continue;
      continue;
    }
    if (atLineStart && quote === '' && flow === 0) {
      atLineStart = false;
      let j = i;
      while (j < text.length && text[j] === ' ') j++;
      const rest = text[j];
      if (rest !== '\n' && rest !== '#' && rest !== undefined && rest !== '\r') {
        const ind = j - i;
        while (indents.length > 0 && indents[indents.length - 1] >= ind) indents.pop();
        indents.push(ind);
        if (indents.length > max) return line;
      }
    }
    atLineStart = false;
    if (quote !== '') {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#') {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      if (++flow > max) return line;
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
  }
  return undefined;
}

/** Reject deep nesting and prototype keys (iteratively, so the check itself cannot overflow). */
function checkShape(root: unknown, file: string): void {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: root, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_YAML_DEPTH) throw InputError.at(file, path || undefined, `nested too deeply; expected at most ${MAX_YAML_DEPTH} levels`);
    if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push({ v: x, depth: depth + 1, path: `${path}[${i}]` }));
      continue;
    }
    for (const k of Object.keys(v)) {
      const at = path ? `${path}.${k}` : k;
      if (PROTOTYPE_KEYS.has(k)) throw InputError.at(file, at, `key '${k}' is not allowed (it names a JavaScript object's built-in property)`);
      stack.push({ v: (v as Record<string, unknown>)[k], depth: depth + 1, path: at });
    }
  }
}

// Bidirectional controls (which can reorder what a terminal or browser shows), zero-width
// characters (which hide text), and C0/C1 controls (terminal escape sequences).
const INVISIBLE = /[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from a user's file made safe to echo to a terminal or into an HTML <title>:
 * bidi-control, zero-width and control characters removed (tabs and newlines are
 * kept unless `oneLine`, which turns them into spaces).
 */
export function visibleText(s: string, oneLine = true): string {
  const t = s.replace(INVISIBLE, '').replace(CONTROLS, '');
  return oneLine ? t.replace(/[\t\n]+/g, ' ') : t;
}
