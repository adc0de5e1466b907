/**
 * Seeds (issue 14, item 12): whole numbers from 0, normalised (1.0 is 1); text only
 * through --seed-string; everything else is an InputError (exit code 2).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../sim/errors.js';
import { seedValue } from '../../cli/args.js';
import { cli, requireBuilt } from './run-cli.js';

beforeAll(requireBuilt);

describe('seedValue', () => {
  it.each([
    [undefined, 1],
    ['1', 1],
    ['1.0', 1],
    ['01', 1],
    [' 7 ', 7],
    ['0', 0],
    [42, 42],
    ['9007199254740991', 9007199254740991],
    [{ seedString: 'abc' }, 'abc'],
    [{ seedString: '1' }, '1'],
  ])('%o -> %o', (input, seed) => {
    expect(seedValue(input)).toBe(seed);
  });
  it.each(['abc', '-1', '1.5', '1e3', '', '0x10', '9007199254740992', -1, 1.5, Number.NaN])('%o is refused, pointing at --seed-string for text', (input) => {
    expect(() => seedValue(input)).toThrow(InputError);
    expect(() => seedValue(input)).toThrow(/^--seed: expected a whole number from 0 to 9007199254740991 .*--seed-string/);
  });
  it('a text seed must be 1 to 64 printable characters', () => {
    expect(() => seedValue({ seedString: '' })).toThrow(/--seed-string: expected 1 to 64 printable characters/);
    expect(() => seedValue({ seedString: 'a\u202eb' })).toThrow(/--seed-string/);
    expect(() => seedValue({ seedString: 'x'.repeat(65) })).toThrow(/--seed-string/);
  });
});

describe('the CLI', () => {
  const SMALL = ['run', '--schools', '150', '--years', '1', '--json'];
  it('--seed 1.0 and --seed 1 give the same run', async () => {
    const [a, b] = await Promise.all([cli([...SMALL, '--seed', '1.0']), cli([...SMALL, '--seed', '1'])]);
    expect(a.code, a.stderr).toBe(0);
    const pick = (s: string) => {
      const d = JSON.parse(s) as { seed: unknown; outcomes: unknown; yearly: unknown };
      return [d.seed, d.outcomes, d.yearly];
    };
    expect(pick(a.stdout)).toEqual(pick(b.stdout));
  });
  it('--seed abc, --seed -1 and --seed with --seed-string exit 2; --seed-string abc runs', async () => {
    const [abc, neg, both, text] = await Promise.all([cli([...SMALL, '--seed', 'abc']), cli([...SMALL, '--seed=-1']), cli([...SMALL, '--seed', '2', '--seed-string', 'x']), cli([...SMALL, '--seed-string', 'abc'])]);
    expect([abc.code, neg.code, both.code]).toEqual([2, 2, 2]);
    expect(abc.stderr).toMatch(/--seed: expected a whole number .* got "abc"; for a text seed use --seed-string/);
    expect(neg.stderr).toMatch(/got "-1"/);
    expect(both.stderr).toMatch(/not both/);
    expect(text.code, text.stderr).toBe(0);
    expect((JSON.parse(text.stdout) as { seed: unknown }).seed).toBe('abc');
  });
});
