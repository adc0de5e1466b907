/**
 * Scenario loading (scenarios/loader.ts): table-driven validation errors on files in
 * a temp folder, each an InputError naming the file and the field; the built-ins;
 * `extends` merging; and the shipped JSON Schema being current.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { builtinNames, closest, loadScenario, resolvedDocument } from '../../scenarios/loader.js';
import { scenarioSchema } from '../../scenarios/schema.js';
import { builtinDir } from '../../scenarios/yaml-path.js';
import { InputError } from '../../sim/errors.js';
import { defaultParams } from '../../sim/params.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'partnersim-loader-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Load and return the InputError it must throw. */
function failure(ref: string): InputError {
  try {
    loadScenario(ref, dir);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error(`expected ${ref} to be rejected`);
}

const HEAD = 'name: t\ndescription: a test scenario\n';

interface Case {
  what: string;
  files: Record<string, string>;
  /** The file to load (the first of `files` if not given). */
  load?: string;
  /** The file the error must name (the loaded one if not given). */
  file?: string;
  field: string;
  message: RegExp;
}

const CASES: Case[] = [
  {
    what: 'malformed YAML (names the line)',
    files: { 'malformed.yaml': `${HEAD}parameters:\n  trust:\n    gain: 0.1\n   breach: 0.5\n` },
    field: 'line 6, column 1',
    message: /line 6, column 1: not valid YAML/,
  },
  {
    what: 'malformed YAML, unclosed bracket',
    files: { 'bracket.yaml': `${HEAD}years: [3\nschools: 4\n` },
    field: 'line 4, column 1',
    message: /line \d+, column \d+: not valid YAML/,
  },
  {
    what: 'duplicate key',
    files: { 'dup.yaml': `${HEAD}years: 3\nyears: 4\n` },
    field: 'line 4, column 1',
    message: /Map keys must be unique/,
  },
  {
    what: 'not a mapping',
    files: { 'list.yaml': '- a\n- b\n' },
    field: '',
    message: /expected a mapping/,
  },
  {
    what: 'unknown key at top level',
    files: { 'top.yaml': `${HEAD}yeras: 3\n` },
    field: 'yeras',
    message: /unknown key 'yeras' \(did you mean 'years'\?\)/,
  },
  {
    what: 'unknown nested key suggests the near one',
    files: { 'nested.yaml': `${HEAD}parameters:\n  trust:\n    gian: 0.1\n` },
    field: 'parameters.trust.gian',
    message: /unknown key 'gian' \(did you mean 'gain'\?\); expected one of: .*gain/,
  },
  {
    what: 'unknown parameter group',
    files: { 'group.yaml': `${HEAD}parameters:\n  trsut:\n    gain: 0.1\n` },
    field: 'parameters.trsut',
    message: /did you mean 'trust'/,
  },
  {
    what: 'unknown lever',
    files: { 'lever.yaml': `${HEAD}levers:\n  noPartnerning:\n    enabled: true\n` },
    field: 'levers.noPartnerning',
    message: /did you mean 'noPartnering'/,
  },
  {
    what: 'run setting out of range',
    files: { 'years.yaml': `${HEAD}years: -3\n` },
    field: 'years',
    message: /years: expected a value from 1 to 100, got -3/,
  },
  {
    what: 'parameter out of range, with its unit',
    files: { 'gain.yaml': `${HEAD}parameters:\n  trust:\n    gain: 2\n` },
    field: 'parameters.trust.gain',
    message: /expected a value from 0 to 1 \(per good interaction\), got 2/,
  },
  {
    what: 'wrong type',
    files: { 'type.yaml': `${HEAD}parameters:\n  trust:\n    gain: high\n` },
    field: 'parameters.trust.gain',
    message: /expected a number, got "high"/,
  },
  {
    what: 'fraction where a whole number is needed',
    files: { 'frac.yaml': `${HEAD}years: 2.5\n` },
    field: 'years',
    message: /expected a whole number, got 2.5/,
  },
  {
    what: 'lever switch not a boolean',
    files: { 'bool.yaml': `${HEAD}levers:\n  noPartnering:\n    enabled: 3\n` },
    field: 'levers.noPartnering.enabled',
    message: /expected a boolean, got 3/,
  },
  {
    what: 'missing name',
    files: { 'noname.yaml': 'description: x\n' },
    field: 'name',
    message: /missing required key; expected 'name'/,
  },
  {
    what: 'unknown format version',
    files: { 'version.yaml': `${HEAD}version: 2\n` },
    field: 'version',
    message: /expected 1, got 2/,
  },
  {
    what: 'extends an unknown built-in',
    files: { 'ext-builtin.yaml': `${HEAD}extends: baselin\n` },
    field: 'extends',
    message: /unknown scenario 'baselin' \(did you mean 'baseline'\?\)/,
  },
  {
    what: 'extends a missing file',
    files: { 'ext-missing.yaml': `${HEAD}extends: ./gone.yaml\n` },
    field: 'extends',
    message: /extends: \.\/gone\.yaml: scenario file not found/,
  },
  {
    what: 'circular extends',
    files: { 'circ-a.yaml': `${HEAD}extends: ./circ-b.yaml\n`, 'circ-b.yaml': `${HEAD}extends: ./circ-a.yaml\n` },
    field: 'extends',
    message: /circular extends chain: circ-a\.yaml -> circ-b\.yaml -> circ-a\.yaml/,
  },
  {
    what: 'a bad value in a parent names the parent',
    files: { 'child.yaml': `${HEAD}extends: ./parent.yaml\n`, 'parent.yaml': `${HEAD}parameters:\n  trust:\n    gain: -1\n` },
    file: 'parent.yaml',
    field: 'parameters.trust.gain',
    message: /expected a value from 0 to 1/,
  },
];

describe('validation errors', () => {
  it.each(CASES)('$what', (c) => {
    const names = Object.keys(c.files);
    for (const [name, text] of Object.entries(c.files)) write(name, text);
    const e = failure(join(dir, c.load ?? names[0]));
    const file = join(dir, c.file ?? c.load ?? names[0]);
    expect(e.file).toBe(file);
    expect(e.message.startsWith(`${file}: `)).toBe(true);
    if (c.field) {
      expect(e.field).toBe(c.field);
      expect(e.message).toContain(`${file}: ${c.field}: `);
    }
    expect(e.message).toMatch(c.message);
    expect(e.message).not.toContain('\n');
  });

  it('an unknown built-in name lists the built-ins and suggests the near one', () => {
    const e = failure('does-not-exist');
    expect(e.message).toMatch(/unknown scenario 'does-not-exist'/);
    for (const n of builtinNames()) expect(e.message).toContain(n);
    expect(failure('no-partnerin').message).toMatch(/did you mean 'no-partnering'/);
    expect(failure('./nowhere.yaml').message).toMatch(/nowhere\.yaml: scenario file not found/);
  });

  it('closest suggests within three edits only', () => {
    expect(closest('gian', ['gain', 'breach'])).toBe('gain');
    expect(closest('GAIN', ['gain'])).toBe('gain');
    expect(closest('completely', ['gain', 'breach'])).toBeUndefined();
  });
});

describe('built-in scenarios', () => {
  it('all twelve load, name themselves after their file, and extend baseline', () => {
    const names = builtinNames();
    expect(names).toEqual([
      'baseline',
      'clear-objectives',
      'cost-benefit-review',
      'exclusion-cost-protocol',
      'funding-withdrawn',
      'governor-oversight',
      'imposed-forms',
      'incentivise-high-performers',
      'mandated-pairing',
      'no-partnering',
      'statutory-behaviour-partnerships',
      'stop-partnering-2007',
    ]);
    const hashes = new Set<string>();
    for (const n of names) {
      const s = loadScenario(n);
      expect(s.name).toBe(n);
      expect(s.source).toBe(`builtin:${n}`);
      expect(s.chain).toEqual(n === 'baseline' ? ['baseline'] : ['baseline', n]);
      expect(s.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(s.description.length).toBeGreaterThan(20);
      hashes.add(s.hash);
    }
    expect(hashes.size).toBe(names.length);
  });

  it('baseline is the defaults; a lever scenario switches on its lever only', () => {
    const base = loadScenario('baseline');
    expect(base.params).toEqual(defaultParams());
    const s = loadScenario('mandated-pairing');
    expect(s.params.levers.mandatedPairing.enabled).toBe(true);
    expect(s.params.levers.mandatedPairing.startYear).toBe(2009);
    const others = Object.entries(s.params.levers).filter(([k, v]) => k !== 'mandatedPairing' && v.enabled);
    expect(others).toEqual([]);
    expect({ ...s.params, levers: null }).toEqual({ ...base.params, levers: null });
  });

  it('the resolved document `scenarios show` prints loads back to the same scenario', () => {
    const s = loadScenario('statutory-behaviour-partnerships');
    const file = write('shown.yaml', stringify(resolvedDocument(s)));
    const again = loadScenario(file);
    expect(again.params).toEqual(s.params);
    expect(again.run).toEqual(s.run);
    expect(again.hash).toBe(s.hash);
  });
});

describe('extends', () => {
  it('a child overriding one lever keeps the parent\'s other levers, parameters and run settings', () => {
    write(
      'parent-ok.yaml',
      `${HEAD}years: 4\nparameters:\n  trust:\n    gain: 0.1\n  formation:\n    candidates: 12\nlevers:\n  clearObjectives:\n    enabled: true\n  governorOversight:\n    enabled: true\n    startYear: 2010\n`,
    );
    const child = write('child-ok.yaml', 'name: child\ndescription: overrides one lever\nextends: parent-ok.yaml\nparameters:\n  trust:\n    breach: 0.5\nlevers:\n  governorOversight:\n    startYear: 2012\n');
    const s = loadScenario(child);
    const d = defaultParams();
    expect(s.name).toBe('child');
    expect(s.chain).toEqual(['t', 'child']);
    expect(s.run.years).toBe(4);
    expect(s.params.trust.gain).toBe(0.1); // parent's
    expect(s.params.trust.breach).toBe(0.5); // child's
    expect(s.params.trust.initial).toBe(d.trust.initial); // default
    expect(s.params.formation.candidates).toBe(12);
    expect(s.params.levers.clearObjectives.enabled).toBe(true);
    expect(s.params.levers.clearObjectives.startYear).toBe(d.levers.clearObjectives.startYear);
    expect(s.params.levers.governorOversight).toEqual({ enabled: true, startYear: 2012 });
    expect(s.params.levers.noPartnering.enabled).toBe(false);
  });

  it('a file can extend a built-in by name, and JSON files load too', () => {
    const child = write('ext.json', JSON.stringify({ name: 'j', description: 'x', extends: 'exclusion-cost-protocol', years: 2, levers: { exclusionCostProtocol: { startYear: 2008 } } }));
    const s = loadScenario(child);
    expect(s.chain).toEqual(['baseline', 'exclusion-cost-protocol', 'j']);
    expect(s.params.levers.exclusionCostProtocol).toEqual({ enabled: true, startYear: 2008 });
    expect(s.run.years).toBe(2);
    expect(s.hash).not.toBe(loadScenario('exclusion-cost-protocol').hash);
  });
});

describe('the shipped JSON Schema', () => {
  it('scenarios/scenario.schema.json is current (regenerate: node dist/scenarios/write-schema.js)', () => {
    const shipped = readFileSync(join(builtinDir(), 'scenario.schema.json'), 'utf8');
    expect(shipped).toBe(JSON.stringify(scenarioSchema(), null, 2) + '\n');
  });

  it('covers every parameter and rejects unknown keys everywhere', () => {
    const schema = scenarioSchema() as { properties: Record<string, { properties: Record<string, { properties: Record<string, unknown>; additionalProperties: boolean }>; additionalProperties: boolean }>; additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
    const d = defaultParams() as unknown as Record<string, Record<string, unknown>>;
    for (const [group, values] of Object.entries(d)) {
      const node = group === 'levers' ? schema.properties.levers : schema.properties.parameters.properties[group];
      expect(node, group).toBeDefined();
      expect(node.additionalProperties).toBe(false);
      expect(Object.keys(node.properties).sort()).toEqual(Object.keys(values).sort());
    }
  });
});
