/**
 * The parameter sample for `compare --posterior`: validation with clear messages,
 * one row per replication keyed by the seed (the same in every scenario, whatever
 * the thread count), weights honoured, scenario-set values kept.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../sim/errors.js';
import { defaultParams } from '../../../sim/params.js';
import { paramsAtRow, posteriorRow, readPosterior, withPosterior, POSTERIOR_KIND } from '../../../analysis/calibration/posterior.js';

const dir = mkdtempSync(join(tmpdir(), 'posterior-'));
function write(name: string, doc: unknown): string {
  const f = join(dir, name);
  writeFileSync(f, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return f;
}
const good = {
  kind: POSTERIOR_KIND,
  version: 1,
  method: 'test',
  parameters: ['formation.initiationRate', 'people.fragileShare'],
  estimate: [0.3, 0.6],
  draws: [
    [0.2, 0.5],
    [0.3, 0.6],
    [0.4, 0.7],
  ],
};

describe('readPosterior', () => {
  it('reads a sample and hashes the file', () => {
    const f = write('good.json', good);
    const p = readPosterior(f);
    expect(p.parameters).toEqual(good.parameters);
    expect(p.draws.length).toBe(3);
    expect(p.sha256).toBe(createHash('sha256').update(JSON.stringify(good)).digest('hex'));
    expect(p.cumulative[2]).toBeCloseTo(1, 12);
  });

  it('names the file and field of what is wrong', () => {
    const cases: [unknown, RegExp][] = [
      ['{not json', /not valid JSON/],
      [{ ...good, kind: 'other' }, /: kind: expected "partnersim-parameter-sample"/],
      [{ ...good, parameters: ['formation.noSuch', 'people.fragileShare'] }, /parameters\[0\]: expected a numeric model parameter path/],
      [{ ...good, draws: [[0.2]] }, /draws\[0\]: expected 2 numbers/],
      [{ ...good, draws: [[0.2, 1.5]] }, /draws\[0\]\[1\]: people\.fragileShare: expected a number from 0 to 1, got 1\.5/],
      [{ ...good, weights: [1, -1, 1] }, /weights: expected 3 non-negative numbers/],
    ];
    cases.forEach(([doc, re], i) => {
      const f = write(`bad${i}.json`, doc);
      expect(() => readPosterior(f)).toThrow(InputError);
      expect(() => readPosterior(f)).toThrow(re);
      expect(() => readPosterior(f)).toThrow(f);
    });
    expect(() => readPosterior(join(dir, 'missing.json'))).toThrow(/cannot read the file/);
  });
});

describe('one row per replication', () => {
  const post = readPosterior(write('rows.json', good));

  it('depends only on the seed, point and replication (so it is the same at any thread count and in every scenario)', () => {
    for (let r = 0; r < 20; r++) expect(posteriorRow(post, 7, r)).toBe(posteriorRow(post, 7, r));
    const rows = Array.from({ length: 60 }, (_, r) => posteriorRow(post, 7, r));
    expect(new Set(rows).size).toBe(3); // all three rows are used over 60 replications
    const other = Array.from({ length: 60 }, (_, r) => posteriorRow(post, 8, r));
    expect(other).not.toEqual(rows);
  });

  it('never picks a row of zero weight, and picks rows in proportion to their weight', () => {
    const w = readPosterior(write('weighted.json', { ...good, weights: [0, 3, 1] }));
    const rows = Array.from({ length: 2000 }, (_, r) => posteriorRow(w, 1, r));
    expect(rows).not.toContain(0);
    const share = rows.filter((x) => x === 1).length / rows.length;
    expect(Math.abs(share - 0.75)).toBeLessThan(3 * Math.sqrt((0.75 * 0.25) / 2000));
  });

  it('gives both scenarios of a replication the same values, and keeps a value a scenario sets itself', () => {
    const base = defaultParams();
    const lever = structuredClone(base);
    lever.levers.fundingWithdrawn.enabled = true;
    const own = structuredClone(base);
    own.formation.initiationRate = 0.77; // a scenario's own choice
    const tasks = [0, 1, 2, 3].flatMap((r) => [base, lever, own].map((params, s) => ({ id: s * 4 + r, params, seed: 5, point: 0, replication: r })));
    const out = withPosterior(tasks, base, post);
    for (let r = 0; r < 4; r++) {
      const [b, l, o] = out.filter((t) => t.replication === r);
      const row = good.draws[posteriorRow(post, 5, r)];
      expect(b.params.formation.initiationRate).toBe(row[0]);
      expect(l.params.formation.initiationRate).toBe(row[0]);
      expect(l.params.people.fragileShare).toBe(row[1]);
      expect(l.params.levers.fundingWithdrawn.enabled).toBe(true);
      expect(o.params.formation.initiationRate).toBe(0.77);
      expect(o.params.people.fragileShare).toBe(row[1]);
    }
    // The input params objects are not modified.
    expect(base.formation.initiationRate).toBe(defaultParams().formation.initiationRate);
    expect(paramsAtRow(base, base, post, 2).people.fragileShare).toBe(0.7);
  });
});
