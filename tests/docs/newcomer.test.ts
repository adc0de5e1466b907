/**
 * The docs a newcomer reads first agree with the code (issue 14, "Docs a newcomer
 * trips on"): the README lists every command, the sweep guide says `npx partnersim`
 * and quotes the shipped example files and their plan sizes, the schema path works
 * in a clone, exit code 3 is documented, and the README's folders are git-ignored.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSweep } from '../../scenarios/sweep-loader.js';
import { expandPlan } from '../../analysis/sweep/plan.js';
import { EXIT_ENVIRONMENT } from '../../cli/failure.js';
import { MSG } from '../../cli/messages.js';
import { MAIN, requireBuilt, ROOT } from '../cli/run-cli.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const sweeps = readFileSync(join(ROOT, 'docs/sweeps.md'), 'utf8');

function planOf(name: string): { points: number; runs: number } {
  const l = loadSweep(join(ROOT, `scenarios/sweeps/${name}.yaml`));
  const p = expandPlan(l.spec, l.base.params, l.run);
  return { points: p.points.length, runs: p.runs.length };
}

describe('README', () => {
  it("lists every command of `partnersim --help` in its command block", () => {
    requireBuilt();
    const help = execFileSync(process.execPath, [MAIN, '--help'], { encoding: 'utf8' });
    const commands = [...help.matchAll(/^ {2}partnersim ([a-z-]+)/gm)].map((m) => m[1]);
    expect(commands).toEqual(expect.arrayContaining(['run', 'compare', 'sweep', 'merge', 'sensitivity']));
    const block = /## The command line[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1];
    for (const c of commands) expect(block, c).toMatch(new RegExp(`^npx partnersim ${c}\\b`, 'm'));
  });
  it('documents exit code 3 as the CLI does', () => {
    expect(EXIT_ENVIRONMENT).toBe(3);
    expect(readme).toMatch(/3 the environment failed: the disk is full \(ENOSPC\)/);
    expect(MSG.epilog).toMatch(/3 the environment failed/);
  });
  it('says the printed compare table leaves out the quantiles and tests, and what npm start runs', () => {
    expect(readme).toMatch(/Kolmogorov-Smirnov and Mann-Whitney U tests, .* are in `--json` and in the files `--out` writes, not in the printed table/);
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const args = start.replace(/^node dist\/cli\/main\.js /, '');
    expect(readme).toContain(`\`npm start\` runs \`partnersim ${args}\``);
    expect(MSG.npmStart).toContain(`partnersim ${args}`);
    // npm sets npm_lifecycle_event; the CLI then says on stderr what it runs before the long silence.
    requireBuilt();
    const r = spawnSync(process.execPath, [MAIN, 'scenarios'], { encoding: 'utf8', env: { ...process.env, npm_lifecycle_event: 'start' } });
    expect(r.stderr).toContain(MSG.npmStart);
    const plain = spawnSync(process.execPath, [MAIN, 'scenarios'], { encoding: 'utf8', env: { ...process.env, npm_lifecycle_event: '' } });
    expect(plain.stderr).not.toContain('npm start runs');
  });
  it('gives a schema path that exists in a clone', () => {
    expect(readme).toMatch(/in a clone of this repository the schema is `scenarios\/scenario\.schema\.json`/);
    expect(existsSync(join(ROOT, 'scenarios/scenario.schema.json'))).toBe(true);
  });
  it('git-ignores the folders its examples write into', () => {
    const ignored = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n');
    for (const d of [...new Set([...readme.matchAll(/--out (results|kent|out)\//g)].map((m) => `${m[1]}/`))]) expect(ignored, d).toContain(d);
  });
});

describe('docs/sweeps.md', () => {
  it('says `npx partnersim` for every command', () => {
    for (const m of sweeps.matchAll(/(^|[`(\s])partnersim (sweep|merge|sensitivity|report|scenarios|run|compare)\b/gm)) {
      expect(sweeps.slice(Math.max(0, m.index! - 4), m.index! + m[1].length)).toMatch(/npx ?$/);
    }
    expect(sweeps).toContain('npx partnersim sweep scenarios/sweeps/example-grid.yaml');
  });
  it("quotes example-grid.yaml's parameters as the file has them", () => {
    const block = /```yaml\n(version: 1\nname: example-grid[\s\S]*?)```/.exec(sweeps)![1];
    const doc = parse(block) as { parameters: unknown; design: unknown; replications: unknown; run: unknown };
    const file = parse(readFileSync(join(ROOT, 'scenarios/sweeps/example-grid.yaml'), 'utf8')) as typeof doc;
    expect(doc.parameters).toEqual(file.parameters);
    expect([doc.design, doc.replications, doc.run]).toEqual([file.design, file.replications, file.run]);
  });
  it('gives the plan sizes the tool runs', () => {
    const grid = planOf('example-grid');
    const sobol = planOf('example-sobol');
    expect(sweeps).toContain(`example-grid.yaml --out results/grid     # ${grid.runs} runs`);
    expect(sweeps).toContain(`example-sobol.yaml --out results/sobol   # ${sobol.runs} runs`);
    const desc = readFileSync(join(ROOT, 'scenarios/sweeps/example-sobol.yaml'), 'utf8');
    expect(desc).toContain(`${sobol.points}\n  points`);
  });
});
