/**
 * The fixture files in tests/fixtures/import/ (used by the worked example in
 * docs/import.md) must be exactly what make-fixtures.ts writes. Run with
 * UPDATE_FIXTURES=1 to rewrite them after changing the generator.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFixtures } from '../../fixtures/import/make-fixtures.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const COMMITTED = join(HERE, '../../fixtures/import');

describe('committed import fixtures', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('match the generator byte for byte', async () => {
    if (process.env['UPDATE_FIXTURES'] === '1') await writeFixtures(COMMITTED);
    const dir = await mkdtemp(join(tmpdir(), 'partnersim-fixtures-'));
    dirs.push(dir);
    const fresh = await writeFixtures(dir);
    for (const p of [fresh.gias, fresh.ks4, fresh.ofsted, fresh.custom, fresh.customColumns]) {
      const want = await readFile(p);
      const have = await readFile(join(COMMITTED, basename(p)));
      expect(have.equals(want), `${basename(p)} is stale: run UPDATE_FIXTURES=1 npx vitest run tests/scenarios/import/fixtures.test.ts`).toBe(true);
    }
  });
});
