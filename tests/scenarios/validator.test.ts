/**
 * The precompiled scenario validator (written by the build) agrees with ajv compiling
 * the schema at run time, on valid and invalid files alike, and a stale one (made from
 * another schema) is never used.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarioValidator, validatorSource } from '../../scenarios/validator.js';

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
