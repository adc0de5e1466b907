import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../sim/errors.js';
import { METRIC_IDS } from '../../sim/metrics.js';
import { loadSweep, parseSweepText, planSize, suggestPath } from '../../scenarios/sweep-loader.js';
import { sweepSchema } from '../../scenarios/sweep-schema.js';

const BASE = `
name: t
description: a test sweep
scenario: baseline
parameters:
  trust.gain: {levels: [0.03, 0.06]}
design: {type: grid}
`;

/** BASE with top-level keys replaced (YAML text per key). */
function spec(over: Record<string, string> = {}, extra = ''): string {
  const keys: Record<string, string> = {
    name: 't',
    description: 'a test sweep',
    scenario: 'baseline',
    parameters: '\n  trust.gain: {levels: [0.03, 0.06]}',
    design: '{type: grid}',
    ...over,
  };
  return Object.entries(keys)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n') + `\n${extra}`;
}

function errorOf(text: string): InputError {
  try {
    parseSweepText(text, 'sw.yaml');
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('parseSweepText: valid files and defaults', () => {
  it('fills in seed, replications, outcomes and the morris levels', () => {
    const s = parseSweepText(BASE, 'sw.yaml');
    expect(s.seed).toBe(1);
    expect(s.replications).toBe(1);
    expect(s.outcomes).toEqual([...METRIC_IDS]);
    expect(s.parameters).toEqual([{ path: 'trust.gain', kind: 'number', levels: [0.03, 0.06] }]);
    const m = parseSweepText(spec({ parameters: '\n  trust.gain: {range: {min: 0.01, max: 0.2}}', design: '{type: morris, trajectories: 3}' }), 'sw.yaml');
    expect(m.design).toEqual({ type: 'morris', trajectories: 3, levels: 4 });
    expect(m.parameters[0].range).toEqual({ min: 0.01, max: 0.2, log: false, integer: false });
  });

  it('makes ranges of whole-number parameters integer, and takes on/off levels for levers', () => {
    const s = parseSweepText(
      spec({ parameters: '\n  formation.candidates: {range: {min: 3, max: 9}}\n  levers.fundingWithdrawn.enabled: {levels: [false, true]}', design: '{type: lhs, points: 5}' }),
      'sw.yaml',
    );
    expect(s.parameters[0].range!.integer).toBe(true);
    expect(s.parameters[1]).toEqual({ path: 'levers.fundingWithdrawn.enabled', kind: 'boolean', levels: [false, true] });
  });

  it('counts points and runs per design', () => {
    const two = '\n  trust.gain: {range: {min: 0.01, max: 0.2}}\n  trust.breach: {range: {min: 0.2, max: 0.9}}';
    expect(planSize(parseSweepText(spec({ parameters: '\n  trust.gain: {levels: [1, 0.5, 0.2]}\n  trust.breach: {levels: [0.3, 0.6]}', replications: '4' }), 'x'))).toEqual({ points: 6, runs: 24 });
    expect(planSize(parseSweepText(spec({ parameters: two, design: '{type: sobol, n: 8}', replications: '2' }), 'x'))).toEqual({ points: 32, runs: 64 });
    expect(planSize(parseSweepText(spec({ parameters: two, design: '{type: morris, trajectories: 5}' }), 'x'))).toEqual({ points: 15, runs: 15 });
    expect(planSize(parseSweepText(spec({ parameters: two, design: '{type: lhs, points: 7}', replications: '3' }), 'x'))).toEqual({ points: 7, runs: 21 });
  });
});

describe('parseSweepText: errors name the file, the field and what was expected', () => {
  const cases: { what: string; text: string; field: string; message: RegExp }[] = [
    { what: 'unknown top-level key', text: spec({}, 'replicatons: 3'), field: 'replicatons', message: /unknown key 'replicatons' \(did you mean 'replications'\?\)/ },
    { what: 'unknown parameter path (spelling)', text: spec({ parameters: '\n  trust.gian: {levels: [0.1]}' }), field: 'parameters.trust.gian', message: /unknown parameter 'trust.gian' \(did you mean 'trust.gain'\?\)/ },
    {
      what: 'unknown parameter path (missing group)',
      text: spec({ parameters: '\n  fundingWithdrawn.share: {levels: [0.5]}' }),
      field: 'parameters.fundingWithdrawn.share',
      message: /did you mean 'levers.fundingWithdrawn.share'\?/,
    },
    { what: 'unknown key inside a parameter', text: spec({ parameters: '\n  trust.gain: {levles: [0.1]}' }), field: 'parameters.trust.gain.levles', message: /unknown key 'levles' \(did you mean 'levels'\?\)/ },
    { what: 'level above the parameter\'s maximum', text: spec({ parameters: '\n  trust.gain: {levels: [0.5, 1.5]}' }), field: 'parameters.trust.gain.levels[1]', message: /expected a value from 0 to 1 \(the range of trust.gain.*got 1.5/ },
    {
      what: 'range below the parameter\'s minimum',
      text: spec({ parameters: '\n  trust.gain: {range: {min: -0.1, max: 0.5}}', design: '{type: lhs, points: 4}' }),
      field: 'parameters.trust.gain.range.min',
      message: /expected a value from 0 to 1 .*got -0.1/,
    },
    { what: 'fraction for a whole-number parameter', text: spec({ parameters: '\n  formation.candidates: {levels: [3.5]}' }), field: 'parameters.formation.candidates.levels[0]', message: /expected a whole number, got 3.5/ },
    { what: 'levels and range together', text: spec({ parameters: '\n  trust.gain: {levels: [0.1], range: {min: 0, max: 1}}' }), field: 'parameters.trust.gain', message: /either levels: \[...\] or range: \{min, max\}, exactly one/ },
    { what: 'duplicate levels', text: spec({ parameters: '\n  trust.gain: {levels: [0.1, 0.2, 0.1]}' }), field: 'parameters.trust.gain.levels', message: /items 0 and 2 are the same \(0.1\)/ },
    { what: 'range running downwards', text: spec({ parameters: '\n  trust.gain: {range: {min: 0.5, max: 0.1}}', design: '{type: lhs, points: 4}' }), field: 'parameters.trust.gain.range', message: /expected min below max/ },
    { what: 'log range from zero', text: spec({ parameters: '\n  trust.gain: {range: {min: 0, max: 0.5, log: true}}', design: '{type: lhs, points: 4}' }), field: 'parameters.trust.gain.range.min', message: /log range needs min above 0/ },
    { what: 'range in a grid', text: spec({ parameters: '\n  trust.gain: {range: {min: 0, max: 0.5}}' }), field: 'parameters.trust.gain.range', message: /a grid design needs levels for every parameter/ },
    { what: 'range for an on/off lever', text: spec({ parameters: '\n  levers.noPartnering.enabled: {range: {min: 0, max: 1}}' }), field: 'parameters.levers.noPartnering.enabled.range', message: /unknown key 'range'.*expected one of: levels/ },
    { what: 'unknown design type', text: spec({ design: '{type: sobel, n: 8}' }), field: 'design', message: /unknown design type "sobel" \(did you mean 'sobol'\?\)/ },
    { what: 'sobol without n', text: spec({ parameters: '\n  trust.gain: {range: {min: 0, max: 1}}', design: '{type: sobol}' }), field: 'design', message: /a sobol design needs 'n'/ },
    { what: 'grid with a size', text: spec({ design: '{type: grid, points: 9}' }), field: 'design', message: /a grid design does not take 'points'/ },
    { what: 'odd morris levels', text: spec({ parameters: '\n  trust.gain: {range: {min: 0, max: 1}}', design: '{type: morris, trajectories: 4, levels: 3}' }), field: 'design.levels', message: /expected a multiple of 2, got 3/ },
    { what: 'design not a mapping', text: spec({ design: 'grid' }), field: 'design', message: /expected a mapping such as \{type: grid\}/ },
    { what: 'sobol with nothing varied', text: spec({ parameters: '\n  trust.gain: {levels: [0.1]}', design: '{type: sobol, n: 8}' }), field: 'parameters', message: /needs at least one parameter that varies/ },
    { what: 'unknown outcome', text: spec({ outcomes: '[attainment]' }), field: 'outcomes[0]', message: /unknown outcome "attainment" \(did you mean 'attainment_mean'\?\)/ },
    { what: 'bad seed', text: spec({ seed: '"two words"' }), field: 'seed', message: /expected a whole number from 0 \(or a short word/ },
    { what: 'no parameters', text: spec({ parameters: '{}' }), field: 'parameters', message: /at least one parameter to vary/ },
    { what: 'missing scenario', text: spec({ scenario: '' }), field: 'scenario', message: /missing required key 'scenario'/ },
    { what: 'replications zero', text: spec({ replications: '0' }), field: 'replications', message: /expected a value from 1 to 100000, got 0/ },
    { what: 'run override out of range', text: spec({ run: '{years: 0}' }), field: 'run.years', message: /expected a value from 1 to 100, got 0/ },
    { what: 'unknown run setting', text: spec({ run: '{startYear: 2008}' }), field: 'run.startYear', message: /unknown key 'startYear'; expected one of: years, schools, stepsPerYear/ },
    { what: 'plan too large', text: spec({ parameters: '\n  trust.gain: {range: {min: 0, max: 1}}', design: '{type: lhs, points: 1000000}', replications: '100' }), field: 'design', message: /expected at most 10,000,000/ },
    { what: 'not YAML', text: 'name: [unclosed', field: 'line 1, column 16', message: /not valid YAML/ },
  ];
  for (const c of cases) {
    it(c.what, () => {
      const e = errorOf(c.text);
      expect(e.file).toBe('sw.yaml');
      expect(e.field).toBe(c.field);
      expect(e.message).toMatch(c.message);
      expect(e.message.startsWith(`sw.yaml: ${c.field}: `)).toBe(true);
    });
  }

  it('suggests a path by its last parts when the spelling is far off', () => {
    expect(suggestPath('initiationRate')).toBe('formation.initiationRate');
    expect(suggestPath('zzzz.qqqq')).toBeUndefined();
  });
});

describe('loadSweep', () => {
  const dir = mkdtempSync(join(tmpdir(), 'partnersim-sweep-loader-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads every shipped example and resolves its base scenario', () => {
    for (const f of ['example-grid', 'example-sobol', 'example-morris', 'example-lhs']) {
      const s = loadSweep(`scenarios/sweeps/${f}.yaml`);
      expect(s.spec.name).toBe(f);
      expect(s.spec.description.length).toBeGreaterThan(80);
      expect(s.run.schools).toBe(300);
      expect(s.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(loadSweep('scenarios/sweeps/example-sobol.yaml').spec.design).toEqual({ type: 'sobol', n: 64 });
  });

  it('resolves a scenario file relative to the sweep file, and names the sweep file when it cannot', () => {
    writeFileSync(join(dir, 'mine.yaml'), 'name: mine\ndescription: x\nextends: baseline\nparameters:\n  trust:\n    gain: 0.09\n');
    writeFileSync(join(dir, 'a.yaml'), BASE.replace('scenario: baseline', 'scenario: mine.yaml'));
    expect(loadSweep(join(dir, 'a.yaml'), '/').base.params.trust.gain).toBe(0.09);
    writeFileSync(join(dir, 'b.yaml'), BASE.replace('scenario: baseline', 'scenario: basline'));
    expect(() => loadSweep(join(dir, 'b.yaml'))).toThrow(/b\.yaml: scenario: unknown scenario 'basline' \(did you mean 'baseline'\?\)/);
    expect(() => loadSweep(join(dir, 'nope.yaml'))).toThrow(/sweep file not found/);
  });

  it('hashes what decides results: the seed and base scenario count, the description and the file\'s place do not', () => {
    writeFileSync(join(dir, 'h1.yaml'), BASE);
    writeFileSync(join(dir, 'h2.yaml'), BASE.replace('a test sweep', 'reworded'));
    writeFileSync(join(dir, 'h3.yaml'), `${BASE}seed: 2\n`);
    writeFileSync(join(dir, 'h4.yaml'), BASE.replace('scenario: baseline', 'scenario: funding-withdrawn'));
    const h = (f: string): string => loadSweep(join(dir, f)).hash;
    expect(h('h2.yaml')).toBe(h('h1.yaml'));
    expect(h('h3.yaml')).not.toBe(h('h1.yaml'));
    expect(h('h4.yaml')).not.toBe(h('h1.yaml'));
  });
});

describe('scenarios/sweep.schema.json', () => {
  it('is current (regenerate with the command in docs/sweeps.md if this fails)', () => {
    const shipped = JSON.parse(readFileSync('scenarios/sweep.schema.json', 'utf8')) as unknown;
    expect(shipped).toEqual(JSON.parse(JSON.stringify(sweepSchema())));
  });
});
