/**
 * The precompiled scenario validator (written by the build) agrees with ajv compiling
 * the schema at run time, on valid and invalid files alike, and a stale one (made from
 * another schema) is never used.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { precompiledSource, precompiledValidator, scenarioValidator, validatorSource } from '../../scenarios/validator.js';
import { sweepSchema } from '../../scenarios/sweep-schema.js';
import { VALIDATOR_OPTIONS as SWEEP_OPTIONS } from '../../scenarios/sweep-loader.js';

// Inside the package, so the generated code finds ajv's runtime helpers in node_modules.
const dir = mkdtempSync(join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), '.tmp-validator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DOCS: unknown[] = [
  { name: 'ok', description: 'valid', extends: 'baseline', parameters: { trust: { gain: 0.05 } } },
  { name: 'typo', description: 'unknown key', parameters: { trust: { gian: 0.05 } } },
  { name: 'range', description: 'out of range', parameters: { trust: { gain: -3 } } },
  { name: 'type', description: 'wrong type', years: 'ten' },
  { description: 'no name' },
];

describe('scenarioValidator', () => {
  const fresh = join(dir, 'fresh.cjs');
  writeFileSync(fresh, validatorSource());
  const missing = join(dir, 'missing.cjs');

  it('uses the precompiled file when its schema hash matches, and it agrees with ajv compiled now', () => {
    const pre = scenarioValidator(fresh);
    const now = scenarioValidator(missing); // no file: ajv compiles the schema
    expect(pre).not.toBe(now);
    expect((pre as unknown as { schemaKey?: string }).schemaKey).toMatch(/^[0-9a-f]{64}$/);
    const verdicts = DOCS.map((d) => {
      const a = pre(d);
      const ea = JSON.stringify(pre.errors ?? null);
      const b = now(d);
      const eb = JSON.stringify(now.errors ?? null);
      expect(ea).toBe(eb);
      expect(a).toBe(b);
      return a;
    });
    expect(verdicts).toEqual([true, false, false, false, false]);
  });

  it('ignores a precompiled file made from another schema', () => {
    const stale = join(dir, 'stale.cjs');
    writeFileSync(stale, validatorSource().replace(/module\.exports\.schemaKey = "[0-9a-f]+"/, 'module.exports.schemaKey = "0"'));
    const v = scenarioValidator(stale);
    expect((v as unknown as { schemaKey?: string }).schemaKey).toBeUndefined();
    expect(v(DOCS[0])).toBe(true);
    expect(v(DOCS[1])).toBe(false);
  });
});

describe('precompiledValidator (sweep files)', () => {
  const SWEEPS: unknown[] = [
    { name: 'ok', description: 'valid', scenario: 'baseline', seed: 3, run: { schools: 300, years: 2 }, parameters: { 'trust.gain': { levels: [0.03, 0.06] } }, design: { type: 'grid' }, replications: 2 },
    { name: 'typo', description: 'unknown key', scenario: 'baseline', parameterz: {} },
    { name: 'type', description: 'wrong type', scenario: 'baseline', replications: 'six', parameters: { 'trust.gain': { levels: [0.03] } }, design: { type: 'grid' } },
  ];

  it('uses the precompiled file when its hash matches, agreeing with ajv compiled now (verbose errors too); a stale one is ignored', () => {
    const fresh = join(dir, 'sweep-fresh.cjs');
    writeFileSync(fresh, precompiledSource(sweepSchema(), SWEEP_OPTIONS));
    const pre = precompiledValidator('sweep', sweepSchema(), SWEEP_OPTIONS, fresh);
    const now = precompiledValidator('sweep', sweepSchema(), SWEEP_OPTIONS, join(dir, 'none.cjs'));
    expect((pre as unknown as { schemaKey?: string }).schemaKey).toMatch(/^[0-9a-f]{64}$/);
    expect((now as unknown as { schemaKey?: string }).schemaKey).toBeUndefined();
    const verdicts = SWEEPS.map((d) => {
      const a = pre(d);
      const ea = JSON.stringify(pre.errors ?? null);
      const b = now(d);
      expect(ea).toBe(JSON.stringify(now.errors ?? null));
      expect(a).toBe(b);
      return a;
    });
    expect(verdicts).toEqual([true, false, false]);
    // Other ajv options make another key: the file is not used.
    const other = precompiledValidator('sweep', sweepSchema(), { ...SWEEP_OPTIONS, verbose: false }, fresh);
    expect((other as unknown as { schemaKey?: string }).schemaKey).toBeUndefined();
  });
});
