/**
 * The command line end to end, in subprocesses of the built CLI (dist/cli/main.js,
 * which `npm test` builds first): reproducible output, the scenario commands, exit
 * code 2 with a one-line message for bad input, the files --out writes, and --help.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cli, requireBuilt, ROOT } from './run-cli.js';
import { METRICS } from '../../sim/metrics.js';
import { loadScenario } from '../../scenarios/loader.js';

let dir = '';
beforeAll(() => {
  requireBuilt();
  dir = mkdtempSync(join(tmpdir(), 'partnersim-cli-'));
  writeFileSync(join(dir, 'a-file'), 'not a folder\n');
  writeFileSync(join(dir, 'malformed.yaml'), 'name: x\ndescription: y\nparameters:\n  trust:\n    gain: 0.1\n   breach: 0.5\n');
  writeFileSync(join(dir, 'negative.yaml'), 'name: x\ndescription: y\nyears: -3\n');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const SMALL = ['--schools', '400', '--years', '2'];

describe('the bin', () => {
  it('npx partnersim runs the built file directly (it is executable), so a fresh clone needs no global install', async ({ expect }) => {
    const { spawnSync } = await import('node:child_process');
    const { statSync } = await import('node:fs');
    const main = join(ROOT, 'dist', 'cli', 'main.js');
    expect(statSync(main).mode & 0o111).not.toBe(0);
    const r = spawnSync(main, ['--version'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe.concurrent('run', () => {
  it('--json is reproducible to the byte for a seed, and another seed differs', async ({ expect }) => {
    const [a, b, c] = await Promise.all([
      cli(['run', '--scenario', 'baseline', '--seed', '7', '--json', ...SMALL]),
      cli(['run', '--scenario', 'baseline', '--seed', '7', '--json', ...SMALL]),
      cli(['run', '--scenario', 'baseline', '--seed', '8', '--json', ...SMALL]),
    ]);
    for (const r of [a, b, c]) expect(r.code, r.stderr).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
    const doc = JSON.parse(a.stdout) as { seed: number; outcomes: Record<string, number>; yearly: unknown[]; manifest: Record<string, unknown> };
    expect(doc.seed).toBe(7);
    expect(Object.keys(doc.outcomes)).toEqual(METRICS.map((m) => m.id));
    expect(doc.yearly).toHaveLength(2);
    expect(doc.manifest.startedAt).toBeUndefined(); // nothing that differs between identical runs
    expect(a.stderr).toBe('');
  });

  it('prints a readable summary without --json', async ({ expect }) => {
    const r = await cli(['run', '--seed', '3', ...SMALL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^partnersim: baseline \(seed 3, 400 schools, 2007-08 to 2008-09/);
    expect(r.stdout).toContain('2008-09');
  });
});

describe.concurrent('scenarios and validate', () => {
  const BUILTINS = ['baseline', 'clear-objectives', 'cost-benefit-review', 'exclusion-cost-protocol', 'funding-withdrawn', 'governor-oversight', 'imposed-forms', 'incentivise-high-performers', 'mandated-pairing', 'no-partnering', 'statutory-behaviour-partnerships', 'stop-partnering-2007'];

  it('`scenarios` lists the ten built-ins; `scenarios show baseline` prints YAML that parses', async ({ expect }) => {
    const [list, show] = await Promise.all([cli(['scenarios']), cli(['scenarios', 'show', 'baseline'])]);
    expect(list.code, list.stderr).toBe(0);
    const listed = list.stdout.split('\n').map((l) => l.split(/\s+/)[0]);
    for (const n of BUILTINS) expect(listed, n).toContain(n);
    expect(show.code, show.stderr).toBe(0);
    const doc = parse(show.stdout) as { name: string; parameters: { trust: { gain: number } }; levers: Record<string, { enabled: boolean }> };
    expect(doc.name).toBe('baseline');
    expect(doc.parameters.trust.gain).toBe(loadScenario('baseline').params.trust.gain);
    expect(Object.values(doc.levers).every((l) => l.enabled === false)).toBe(true);
  });

  it('`validate` accepts a good file and rejects a bad one with exit code 2', async ({ expect }) => {
    const good = join(dir, 'good.yaml');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(good, 'name: mine\ndescription: a scenario\nextends: baseline\nlevers:\n  clearObjectives:\n    enabled: true\n');
    writeFileSync(bad, 'name: mine\ndescription: a scenario\nparameters:\n  trust:\n    gian: 0.1\n');
    const [g, b] = await Promise.all([cli(['validate', good]), cli(['validate', bad])]);
    expect(g.code, g.stderr).toBe(0);
    expect(g.stdout).toContain("valid scenario 'mine'");
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('parameters.trust.gian');
    expect(b.stderr).toContain("did you mean 'gain'");
  });
});

describe.concurrent('bad input: exit code 2, one line, no stack trace', () => {

  const CASES: { what: string; args: () => string[]; says: RegExp }[] = [
    { what: 'unknown scenario', args: () => ['run', '--scenario', 'does-not-exist'], says: /unknown scenario 'does-not-exist'/ },
    { what: 'malformed YAML', args: () => ['run', '--scenario', join(dir, 'malformed.yaml')], says: /malformed\.yaml: line 6, column 1: not valid YAML/ },
    { what: 'years: -3 in a file', args: () => ['run', '--scenario', join(dir, 'negative.yaml')], says: /negative\.yaml: years: expected a value from 1 to 100, got -3/ },
    { what: '--schools -5', args: () => ['run', '--schools', '-5'], says: /--schools: expected a whole number/ },
    { what: '--schools abc', args: () => ['run', '--schools', 'abc'], says: /--schools: expected a whole number .* got "abc"/ },
    { what: '--years 0', args: () => ['run', '--years', '0'], says: /--years: expected a whole number from 1/ },
    { what: 'an unknown option', args: () => ['run', '--bogus', '1'], says: /[Uu]nknown argument.*bogus/ },
    { what: 'an unknown command', args: () => ['frobnicate'], says: /frobnicate/ },
    { what: 'an unwritable --out', args: () => ['run', ...SMALL, '--out', join(dir, 'a-file', 'sub')], says: /a-file\/sub: --out: cannot be created: .*a-file is not a folder/ },
  ];

  it.for(CASES)('$what', async (c, { expect }) => {
    const r = await cli(c.args());
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^partnersim: /);
    expect(lines[0]).toMatch(c.says);
    // At most a pointer to --help after the message; never a stack trace.
    for (const l of lines.slice(1)) expect(l).toMatch(/^Run 'partnersim --help'/);
    expect(r.stderr).not.toMatch(/^\s{4}at /m);
  });
});

describe.concurrent('--out', () => {
  it('writes timeseries, schools, partnerships and a manifest, and no temporary files', async ({ expect }) => {
    const out = join(dir, 'results');
    const r = await cli(['run', '--scenario', 'exclusion-cost-protocol', '--seed', '11', '--schools', '300', '--years', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(out);
    for (const f of ['timeseries.csv', 'schools.csv', 'partnerships.csv', 'manifest.json']) expect(files, f).toContain(f);
    expect(files.filter((f) => f.endsWith('.tmp') || f.includes('.tmp'))).toEqual([]);

    const ts = readFileSync(join(out, 'timeseries.csv'), 'utf8').trimEnd().split('\n');
    expect(ts[0]).toBe('step,year,metric,value');
    expect(ts.length - 1).toBe(2 * 3 * METRICS.length);
    expect(ts[1].split(',').slice(0, 3)).toEqual(['0', '2007', METRICS[0].id]);

    const schools = readFileSync(join(out, 'schools.csv'), 'utf8').trimEnd().split('\n');
    expect(schools).toHaveLength(301);
    expect(schools[0].split(',')[0]).toBe('school');
    // A synthetic world's URNs are 900000 + index (derived, not stored: sim/world.ts schoolUrn).
    expect(schools[0].split(',')[1]).toBe('urn');
    expect(schools[300].split(',').slice(0, 2)).toEqual(['299', '900299']);
    const parts = readFileSync(join(out, 'partnerships.csv'), 'utf8').trimEnd().split('\n');
    expect(parts[0].startsWith('partnership,focus,start_year,end_year,reason_ended')).toBe(true);
    expect(parts.length).toBeGreaterThan(50);

    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      version: string;
      seed: number;
      generator: string;
      node: string;
      startedAt: string;
      run: { schools: number; years: number };
      scenarios: { name: string; hash: string; resolved: { parameters: { trust: { gain: number } }; levers: { exclusionCostProtocol: { enabled: boolean } } } }[];
    };
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.seed).toBe(11);
    expect(manifest.generator).toBe('seedrandom.xor4096');
    expect(manifest.node).toBe(process.version);
    expect(Number.isNaN(Date.parse(manifest.startedAt))).toBe(false);
    expect(manifest.run).toMatchObject({ schools: 300, years: 2 });
    const sc = manifest.scenarios[0];
    const resolved = loadScenario('exclusion-cost-protocol');
    expect(sc.name).toBe('exclusion-cost-protocol');
    expect(sc.hash).toBe(resolved.hash);
    expect(sc.resolved.parameters.trust.gain).toBe(resolved.params.trust.gain);
    expect(sc.resolved.levers.exclusionCostProtocol.enabled).toBe(true);
  });
});

describe.concurrent('--help', () => {
  it('works on the program and on every command it lists', async ({ expect }) => {
    const root = await cli(['--help']);
    expect(root.code, root.stderr).toBe(0);
    const commands = [...root.stdout.matchAll(/^\s+partnersim (\w+)/gm)].map((m) => m[1]);
    for (const c of ['run', 'scenarios', 'validate']) expect(commands).toContain(c);
    const results = await Promise.all(commands.map((c) => cli([c, '--help'])));
    results.forEach((r, k) => {
      expect(r.code, `${commands[k]} --help: ${r.stderr}`).toBe(0);
      expect(r.stdout, commands[k]).toContain(`partnersim ${commands[k]}`);
      expect(r.stdout, commands[k]).toMatch(/--help/);
    });
  });
});
