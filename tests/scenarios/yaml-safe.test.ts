/**
 * Hostile YAML through the three loaders that read user files (issue 14, items 1, 2
 * and 6): alias bombs, deep nesting, prototype keys, huge files and the field a
 * message names. Each must give one InputError naming the file, never a crash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../sim/errors.js';
import { loadScenario, readScenarioFile } from '../../scenarios/loader.js';
import { parseSweepText } from '../../scenarios/sweep-loader.js';
import { loadColumnsMap, readGrade, newSink } from '../../scenarios/import/mapping.js';
import { parseYamlSafe, visibleText } from '../../scenarios/yaml-safe.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'partnersim-yaml-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Nine levels of ten aliases each: 10^9 nodes if expanded. */
const BOMB = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n') + '\n';

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

async function inputErrorAsync(f: () => Promise<unknown>): Promise<InputError> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('item 1: an alias bomb is an InputError in every loader', () => {
  it('scenario file', () => {
    const e = inputError(() => readScenarioFile(file('bomb.yaml', BOMB)));
    expect(e.message).toMatch(/bomb\.yaml: not valid YAML: too many aliases/);
  });
  it('sweep file', () => {
    expect(inputError(() => parseSweepText(BOMB, 'bomb-sweep.yaml')).message).toMatch(/bomb-sweep\.yaml: .*too many aliases/);
  });
  it('columns map', async () => {
    expect((await inputErrorAsync(() => loadColumnsMap(file('bomb-cols.yaml', BOMB)))).message).toMatch(/too many aliases/);
  });
});

describe('nesting, size and prototype keys', () => {
  it('5,000-deep flow and block nesting are refused by depth', () => {
    const flow = '['.repeat(5000) + ']'.repeat(5000) + '\n';
    expect(inputError(() => parseYamlSafe(flow, 'deep.yaml')).message).toMatch(/nested too deeply/);
    let block = '';
    for (let i = 0; i < 200; i++) block += `${'  '.repeat(i)}k:\n`;
    expect(inputError(() => parseYamlSafe(block, 'deep2.yaml')).message).toMatch(/nested too deeply; expected at most 64/);
  });
  it('a file over 1 MB is refused before parsing, with a short message', () => {
    const e = inputError(() => parseYamlSafe(`name: ${'x'.repeat(5 << 20)}\n`, 'big.yaml'));
    expect(e.message).toMatch(/too large/);
    expect(e.message.length).toBeLessThan(200);
  });
  it('prototype keys are refused wherever they are', () => {
    for (const k of ['__proto__', 'constructor', 'prototype']) {
      expect(inputError(() => parseYamlSafe(`a:\n  b:\n    ${k}: {x: 1}\n`, 'p.yaml')).message).toContain(`a.b.${k}`);
    }
  });
});

describe('item 2: user keys never match inherited properties', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('--columns section %s is an unknown section or a refused key', async (k) => {
    const e = await inputErrorAsync(() => loadColumnsMap(file(`cols-${k}.yaml`, `${k}:\n  urn: X\n`)));
    expect(e.message).toMatch(new RegExp(`unknown section '${k}'|key '${k}' is not allowed`));
  });
  it('a field named toString inside a section is unknown', async () => {
    const e = await inputErrorAsync(() => loadColumnsMap(file('cols-f.yaml', 'schools:\n  toString: X\n')));
    expect(e.message).toContain("unknown field 'toString'");
  });
  it('an Ofsted grade cell saying "constructor" is an unknown grade, not a function', () => {
    const sink = newSink();
    const g = readGrade(['constructor'], { field: 'ofstedOverall', index: 0, header: 'Overall', unit: undefined }, sink);
    expect(g).toBeUndefined();
    expect(sink.issues[0].reason).toMatch(/unknown Ofsted grade/);
  });
});

describe('item 6: the message names the field that is wrong', () => {
  it('a misspelt lever key with description missing names the lever path, and the description separately', () => {
    const f = file('typo.yaml', 'name: x\nlevers:\n  fundingWithdrawn:\n    startYaer: 3\n');
    const e = inputError(() => loadScenario(f));
    expect(e.field).toBe('levers.fundingWithdrawn.startYaer');
    expect(e.message).toMatch(/levers\.fundingWithdrawn\.startYaer: unknown key 'startYaer' \(did you mean 'startYear'\?\)/);
    expect(e.message).toMatch(/also description: missing required key/);
  });
  it('a self-extending file is a circular chain', () => {
    const f = file('self.yaml', 'name: s\ndescription: d\nextends: ./self.yaml\n');
    expect(inputError(() => loadScenario(f)).message).toMatch(/circular extends chain: self\.yaml -> self\.yaml/);
  });
});

describe('item 18 (names): bidi and zero-width characters never reach the terminal or a title', () => {
  it('visibleText strips them, and the loader applies it to names', () => {
    expect(visibleText('a\u202eb\u200bc\u2066d\x1b[31m')).toBe('abcd[31m');
    const f = file('bidi.yaml', 'name: "evil\\u202Egpj.exe\\u200B"\ndescription: "x"\n');
    expect(loadScenario(f).name).toBe('evilgpj.exe');
  });
});
