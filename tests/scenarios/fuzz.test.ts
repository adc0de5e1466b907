/**
 * Fuzzing the loaders of user files (issue 14, acceptance): 2,000 mutated and
 * hostile scenario, sweep and column-mapping files. Each must load or give one
 * InputError with a short message and no stack trace; anything else (a TypeError,
 * a RangeError, a hang) is a crash. Most cases call the loaders in this process; a
 * sample goes through the built CLI, which must exit 0 or 2 with no stack trace.
 * Seeded, so a failure names a case that can be replayed.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../sim/errors.js';
import { loadScenario } from '../../scenarios/loader.js';
import { loadSweep, parseSweepText } from '../../scenarios/sweep-loader.js';
import { loadColumnsMap } from '../../scenarios/import/mapping.js';
import { MAIN, requireBuilt, ROOT } from '../cli/run-cli.js';

const CASES = { scenario: 800, sweep: 700, columns: 500 };
const CLI_SAMPLE = 9;

/** mulberry32: a small seeded generator, so every case can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');
const SCENARIOS = ['baseline', 'funding-withdrawn', 'incentivise-high-performers', 'mandated-pairing', 'governor-oversight'].map((n) => read(`scenarios/${n}.yaml`));
const SWEEPS = ['example-grid', 'example-lhs', 'example-morris', 'example-sobol'].map((n) => read(`scenarios/sweeps/${n}.yaml`));
const COLUMNS = [read('tests/fixtures/import/custom-columns.yaml'), 'ks4:\n  attainment: { column: Score, unit: standardise }\n  fsm: FSM\nofsted:\n  inspectionDate: Date\n'];

const TOKENS = ['&a', '*a', '*b', '{', '}', '[', ']', ':', ': ', '- ', '"', "'", '\t', '\n', '#', '!!str ', '!!binary ', '<<: *a', '? ', '|', '>', '%YAML 1.2\n---\n', '---\n', '...\n', '\u202e', '\u0000', '\ufeff', '~', 'null', '.inf', '-.inf', '.nan', '1e308', '-1', '0x10', '__proto__', 'constructor', 'toString', 'prototype', 'hasOwnProperty'];
const VALUES = ['-1', '1e308', '-1e308', '.nan', '.inf', '"x"', '[]', '{}', 'null', '~', 'true', '0.5', '3', '99999999999999999999', '"__proto__"', '{__proto__: {x: 1}}', '{constructor: 1}', '[1, [2, [3]]]', '"\u202eevil"'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

/** A random mutation of YAML text. */
function mutate(r: () => number, text: string): string {
  let s = text;
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const lines = s.split('\n');
    const i = Math.floor(r() * lines.length);
    switch (Math.floor(r() * 8)) {
      case 0: // flip a character
        if (s.length > 0) {
          const at = Math.floor(r() * s.length);
          s = s.slice(0, at) + String.fromCharCode(Math.floor(r() * 128)) + s.slice(at + 1);
        }
        break;
      case 1: // drop a line
        lines.splice(i, 1);
        s = lines.join('\n');
        break;
      case 2: // repeat a line (duplicate keys)
        lines.splice(i, 0, lines[i] ?? '');
        s = lines.join('\n');
        break;
      case 3: {
        // insert a YAML token
        const at = Math.floor(r() * (s.length + 1));
        s = s.slice(0, at) + pick(r, TOKENS) + s.slice(at);
        break;
      }
      case 4: {
        // replace a value
        const m = /^(\s*[\w.]+:)\s*\S.*$/.exec(lines[i] ?? '');
        if (m) lines[i] = `${m[1]} ${pick(r, VALUES)}`;
        s = lines.join('\n');
        break;
      }
      case 5: {
        // a prototype key somewhere, indented like its neighbour
        const ind = /^\s*/.exec(lines[i] ?? '')![0];
        lines.splice(i, 0, `${ind}${pick(r, ['__proto__', 'constructor', 'toString', 'prototype', 'valueOf'])}: ${pick(r, VALUES)}`);
        s = lines.join('\n');
        break;
      }
      case 6: // truncate
        s = s.slice(0, Math.floor(r() * s.length));
        break;
      default: {
        // change indentation
        lines[i] = (r() < 0.5 ? '  ' : '') + (lines[i] ?? '').replace(/^ {1,2}/, '');
        s = lines.join('\n');
      }
    }
  }
  return s;
}

/** Nine levels of ten aliases each (10^9 nodes if expanded). */
const BOMB = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n') + '\n';

/** Hostile files, whatever the kind; `self` is the file's own path (for self-extends). */
function hostile(r: () => number, base: string, self: string): string {
  switch (Math.floor(r() * 9)) {
    case 0:
      return BOMB;
    case 1:
      return base + BOMB.replace(/^a:/, 'zz:');
    case 2:
      return '['.repeat(5000) + ']'.repeat(5000) + '\n';
    case 3: {
      let t = '';
      for (let i = 0; i < 5000; i++) t += `${' '.repeat(i % 200)}k${i}:\n`;
      return t;
    }
    case 4:
      return `name: ${'x'.repeat(5 << 20)}\ndescription: big\n`;
    case 5:
      return `${base}\nextends: ${self}\n`;
    case 6:
      return `__proto__:\n  polluted: true\n${base}`;
    case 7:
      return `name: a\ndescription: b\nparameters:\n  constructor:\n    prototype:\n      polluted: 1\n`;
    default:
      return '{"name": "j", "description": "' + '\\u202e'.repeat(1000) + '", "parameters": {"trust": {"gain": 1e999}}}';
  }
}

interface Failure {
  kind: string;
  index: number;
  error: string;
}

let dir = '';
beforeAll(() => {
  requireBuilt();
  dir = mkdtempSync(join(tmpdir(), 'partnersim-fuzz-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Is `e` an acceptable outcome: an InputError whose message is short and has no stack trace? */
function judge(e: unknown): string | undefined {
  if (!(e instanceof InputError)) return `${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 300);
  if (e.message.length > 2000) return `message of ${e.message.length} characters`;
  if (/\n\s+at /.test(e.message)) return 'stack trace in message';
  return undefined;
}

/** Build the text of case `i` of `kind`, write it, and return its path. */
function makeCase(kind: 'scenario' | 'sweep' | 'columns', i: number): { file: string; text: string } {
  const seed = { scenario: 1, sweep: 2, columns: 3 }[kind] * 1_000_003 + i;
  const r = rng(seed);
  const ext = kind === 'scenario' && r() < 0.1 ? 'json' : 'yaml';
  const file = join(dir, `${kind}-${i}.${ext}`);
  const corpus = kind === 'scenario' ? SCENARIOS : kind === 'sweep' ? SWEEPS : COLUMNS;
  let base = pick(r, corpus);
  // Sweeps name their base scenario; in a temp folder that must be a built-in name.
  if (kind === 'sweep') base = base.replace(/^scenario: .*$/m, 'scenario: baseline');
  // 8 huge strings in all (they cost time to write, not to refuse).
  const big = i % 100 === 7;
  const text = big ? hostile(() => 0.5, base, file) : r() < 0.12 ? hostile(r, base, file) : mutate(r, base);
  writeFileSync(file, text);
  return { file, text };
}

describe('fuzzed user files: InputError or success, never a crash', () => {
  it(`${CASES.scenario} scenario files`, () => {
    const failures: Failure[] = [];
    let ok = 0;
    for (let i = 0; i < CASES.scenario; i++) {
      const { file } = makeCase('scenario', i);
      try {
        loadScenario(file, dir);
        ok++;
      } catch (e) {
        const bad = judge(e);
        if (bad) failures.push({ kind: 'scenario', index: i, error: bad });
      }
    }
    expect(failures).toEqual([]);
    // The mutations leave some files valid: the fuzz reaches past the parser.
    expect(ok).toBeGreaterThan(20);
    expect(({}) as Record<string, unknown>).not.toHaveProperty('polluted');
  });

  it(`${CASES.sweep} sweep files`, () => {
    const failures: Failure[] = [];
    let ok = 0;
    for (let i = 0; i < CASES.sweep; i++) {
      const { file, text } = makeCase('sweep', i);
      try {
        if (i % 10 === 0) loadSweep(file, dir);
        else parseSweepText(text, file);
        ok++;
      } catch (e) {
        const bad = judge(e);
        if (bad) failures.push({ kind: 'sweep', index: i, error: bad });
      }
    }
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(20);
    expect(({}) as Record<string, unknown>).not.toHaveProperty('polluted');
  });

  it(`${CASES.columns} column-mapping files`, async () => {
    const failures: Failure[] = [];
    let ok = 0;
    for (let i = 0; i < CASES.columns; i++) {
      const { file } = makeCase('columns', i);
      try {
        await loadColumnsMap(file);
        ok++;
      } catch (e) {
        const bad = judge(e);
        if (bad) failures.push({ kind: 'columns', index: i, error: bad });
      }
    }
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(20);
    expect(({}) as Record<string, unknown>).not.toHaveProperty('polluted');
  });

  it(`a sample of ${CLI_SAMPLE} through the CLI: exit 0 or 2, no stack trace, no hang`, async () => {
    const runs: Promise<string | undefined>[] = [];
    for (let k = 0; k < CLI_SAMPLE; k++) {
      const kind = (['scenario', 'sweep', 'columns'] as const)[k % 3];
      // Cases 0-3 of each kind include hostile ones (seeded); take every fifth after them too.
      const { file } = makeCase(kind, k < 6 ? k : 5 * k + 1);
      // A sweep folder holding a stray file: the spec is loaded and checked, then the sweep refuses to start (exit 2), so no runs are spent.
      const out = join(dir, `out-${k}`);
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'stray.txt'), 'x');
      const args =
        kind === 'scenario'
          ? ['validate', file]
          : kind === 'sweep'
            ? ['sweep', file, '--out', out, '--threads', '1']
            : ['run', '--schools-file', join(ROOT, 'tests/fixtures/import/custom.csv'), '--columns', file, '--years', '1'];
      runs.push(
        new Promise((done) => {
          execFile(process.execPath, [MAIN, ...args], { timeout: 90_000, maxBuffer: 64 << 20 }, (err, _out, stderr) => {
            const code = err ? (typeof err.code === 'number' ? err.code : `killed (${String(err.signal)}): a hang`) : 0;
            if (code !== 0 && code !== 2) done(`${args.join(' ')}: exit ${code}: ${stderr.slice(0, 300)}`);
            else if (/\n\s+at |internal error/.test(stderr)) done(`${args.join(' ')}: stack trace: ${stderr.slice(0, 300)}`);
            else done(undefined);
          });
        }),
      );
    }
    expect((await Promise.all(runs)).filter(Boolean)).toEqual([]);
  });
});
