/** survey --json end to end: every regression coefficient carries classical, HC1 and LA-clustered errors. */
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuilt } from './run-cli.js';

beforeAll(requireBuilt);

describe('partnersim survey --json', () => {
  it('coefficients carry se, seHC1 and seCluster; significance uses the clustered errors; log-odds get no true effect', async () => {
    const r = await cli(['survey', '--reps', '2', '--schools', '800', '--threads', '1', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const first = doc.regressions[0];
    for (const c of first.coefficients) {
      for (const k of ['se', 'seHC1', 'seCluster']) expect(c[k]).toBeGreaterThan(0);
      expect(c.significantShare).toBeGreaterThanOrEqual(0);
      expect(c.significantShareClassical).toBeGreaterThanOrEqual(0);
    }
    for (const t of doc.regressions.filter((x: { model: string }) => x.model === 'ordinal logit')) for (const c of t.coefficients) expect(c.trueEffect).toBeNull();
    const raw = doc.firstReplication.regressions[0].coefficients[0];
    expect(raw.p).not.toBe(raw.pClassical);
    expect(doc.firstReplication.regressions[0].clusters).toBeGreaterThan(1);
  });
});
