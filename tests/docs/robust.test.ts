/**
 * docs/robust.md and the README against the code: every option of the three
 * commands is documented, the PRIM defaults the docs state are the code's, the
 * shipped example the docs name exists, and the README links the page.
 */
import { existsSync, readFileSync } from 'node:fs';
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { registerRobustCommands } from '../../cli/commands/robust.js';
import { prim } from '../../analysis/prim/prim.js';

const doc = readFileSync('docs/robust.md', 'utf8');

async function help(cmd: string): Promise<string> {
  let out = '';
  await registerRobustCommands(yargs([cmd, '--help']).scriptName('partnersim').exitProcess(false), [])
    .help()
    .parseAsync([cmd, '--help'], {}, (_e, _a, o) => {
      out = o;
    });
  return out;
}

describe('docs/robust.md', () => {
  it('documents every option of robust, robust-summary and discover', async () => {
    for (const cmd of ['robust', 'robust-summary', 'discover']) {
      const h = await help(cmd);
      const options = [...h.matchAll(/^\s+--([a-z-]+)/gm)].map((m) => m[1]).filter((o) => o !== 'help' && o !== 'version');
      expect(options.length, cmd).toBeGreaterThan(1);
      for (const o of options) expect(doc, `--${o} of ${cmd}`).toContain(`--${o}`);
    }
  });

  it('states the PRIM defaults the code uses', () => {
    const r = prim({ names: ['x'], x: [[0, 1, 2, 3]], y: [0, 0, 1, 1] });
    expect(r.options).toMatchObject({ peelAlpha: 0.05, pasteAlpha: 0.05, massMin: 0.05, maxBoxes: 3 });
    expect(doc).toContain('alpha (default 0.05');
    expect(doc).toContain('below 5% of the cases');
    expect(doc).toContain('`--boxes` boxes (default 3)');
  });

  it('names the shipped example, and the README links the page', () => {
    expect(doc).toContain('scenarios/experiments/partnering-policies.yaml');
    expect(existsSync('scenarios/experiments/partnering-policies.yaml')).toBe(true);
    expect(readFileSync('README.md', 'utf8')).toContain('[docs/robust.md](docs/robust.md)');
  });
});
