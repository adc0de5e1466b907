/**
 * Importing the fixture GIAS, KS4 and Ofsted files (tests/fixtures/import/
 * make-fixtures.ts): exclusions, the LA filter, joins, the latest inspection,
 * Windows-1252 names, unit conversions, imputation counts, feeders, neighbours,
 * determinism, and that the world passes checkWorld and runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPECTED, writeFixtures, type FixturePaths } from '../../fixtures/import/make-fixtures.js';
import { importWorld, modelAttainmentSd, parseDateText, type ImportReport } from '../../../scenarios/import/index.js';
import { checkWorld, LA_NEIGHBOURS, type World } from '../../../sim/world.js';
import { defaultParams } from '../../../sim/params.js';
import { Rng } from '../../../sim/rng.js';
import { Model } from '../../../sim/model.js';

let fx: FixturePaths;
let all: { world: World; report: ImportReport };

beforeAll(async () => {
  fx = await writeFixtures(await mkdtemp(join(tmpdir(), 'partnersim-import-')));
  all = await importWorld({ schoolsFile: fx.gias, ks4: fx.ks4, ofsted: fx.ofsted }, defaultParams(), new Rng('import-test'));
});
afterAll(async () => {
  await rm(fx.dir, { recursive: true, force: true });
});

const idx = (w: World, urn: number): number => {
  const i = w.urn.indexOf(urn);
  if (i < 0) throw new Error(`URN ${urn} not in the world`);
  return i;
};

describe('GIAS + KS4 + Ofsted fixtures', () => {
  it('records every file with its hash, rows, format and encoding', () => {
    const f = all.report.files;
    expect(f.map((x) => x.role)).toEqual(['schools', 'ks4', 'ofsted']);
    expect(f[0]).toMatchObject({ rows: 34, format: 'gias', encoding: 'windows-1252' });
    expect(f[1]).toMatchObject({ rows: 22, format: 'ks4', encoding: 'utf-8' });
    expect(f[2]).toMatchObject({ rows: 8, format: 'ofsted', encoding: 'utf-8-bom' });
    for (const x of f) expect(x.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps open state-funded secondaries and primaries, and counts the rest by reason', () => {
    const { world, report } = all;
    expect(report.kept).toEqual({ secondaries: EXPECTED.secondaries.all, primaries: EXPECTED.primaries.all, las: 2 });
    expect(report.excluded).toEqual({ ...EXPECTED.excludedAll, 'ks4:summary-row': 3 });
    expect(world.n).toBe(12);
    expect(world.nPrimary).toBe(9);
    // The "Open, but proposed to close" all-through school is an agent; the special academy is not.
    expect(world.urn).toContain(100004);
    expect(world.urn).not.toContain(118014);
  });

  it('groups schools by LA in code order, by URN within an LA, and passes checkWorld', () => {
    const w = all.world;
    checkWorld(w);
    expect(w.laCode).toEqual(['202', '886']);
    expect(w.laName).toEqual(['Camden', 'Kent']);
    expect(Array.from(w.laStart)).toEqual([0, 5, 12]);
    expect(Array.from(w.urn.slice(0, 5))).toEqual([100001, 100002, 100003, 100004, 100005]);
    expect(Array.from(w.laNeighbours.slice(0, LA_NEIGHBOURS))).toEqual([1, -1, -1, -1]);
    expect(Array.from(w.laNeighbours.slice(LA_NEIGHBOURS, 2 * LA_NEIGHBOURS))).toEqual([0, -1, -1, -1]);
  });

  it('decodes Windows-1252 names (à, ’, –) and keeps embedded commas', () => {
    const w = all.world;
    expect(w.name[idx(w, 100002)]).toBe('St Thomas à Becket Catholic Secondary School');
    expect(w.name[idx(w, 100004)]).toBe('Bishop’s Academy');
    expect(w.name[idx(w, 118001)]).toBe('Notre Dame High School – Canterbury');
    expect(w.name[idx(w, 100003)]).toBe('Westfield School, Camden');
  });

  it('joins KS4 and Ofsted by URN', () => {
    expect(all.report.joins).toEqual({ ks4Matched: 10, ks4Unmatched: 2, ofstedMatched: 6, ofstedUnmatched: 6 });
  });

  it('converts units: FSM percent to a share, grid metres to km', () => {
    const w = all.world;
    const i = idx(w, 100001);
    expect(w.fsm[i]).toBeCloseTo(0.352, 6);
    expect(w.x[i]).toBeCloseTo(526.48, 3);
    expect(w.y[i]).toBeCloseTo(185.62, 3);
    expect(w.pupils[i]).toBe(1254);
    // No GIAS pupil count (unparseable): five times the KS4 cohort.
    expect(w.pupils[idx(w, 118004)]).toBe(5 * 190);
    // GIAS FSM wins over the KS4 disadvantage share.
    expect(w.fsm[idx(w, 118001)]).toBeCloseTo(0.098, 6);
  });

  it('standardises attainment within the KS4 file onto the model scale', () => {
    const w = all.world;
    // The file's mainstream school rows with a value (SUPP and "5O%" are missing).
    const vals = [52, 61, 38, 33, 71, 48, 97, 31, 42, 34, 49, 58, 100, 55, 72, 51, 66];
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (vals.length - 1));
    const msd = modelAttainmentSd(defaultParams());
    expect(msd).toBeGreaterThan(7);
    expect(msd).toBeLessThan(10);
    expect(w.attainment[idx(w, 100001)]).toBeCloseTo(100 + (msd * (52 - mean)) / sd, 3);
    expect(w.attainment[idx(w, 118003)]).toBeCloseTo(100 + (msd * (97 - mean)) / sd, 3);
  });

  it('keeps the latest inspection per URN and falls back to the GIAS rating', () => {
    const w = all.world;
    const i = idx(w, 100001);
    expect(w.ofstedProgress[i]).toBe(2);
    expect(w.ofstedBehaviour[i]).toBe(1);
    expect(w.lastInspection[i]).toBeCloseTo(parseDateText('14/06/2011')!, 4);
    expect(w.lastInspection[i]).toBeCloseTo(2010 + 286 / 365, 2);
    // Achievement NULL: overall effectiveness stands in.
    expect(w.ofstedProgress[idx(w, 100003)]).toBe(3);
    // Not in the Ofsted file: GIAS OfstedRating (name) and OfstedLastInsp.
    expect(w.ofstedProgress[idx(w, 118002)]).toBe(2);
    expect(w.ofstedProgress[idx(w, 118004)]).toBe(3); // Requires improvement
    expect(w.ofstedProgress[idx(w, 118006)]).toBe(3); // Satisfactory
    expect(w.lastInspection[idx(w, 118006)]).toBeCloseTo(parseDateText('10-11-2008')!, 4);
    // Ofsted's grade 4 for the Marsh Academy (GIAS says Serious Weaknesses, also 4).
    expect(w.ofstedProgress[idx(w, 118005)]).toBe(4);
  });

  it('counts, per field, values from files and imputed values, adding up to the kept schools', () => {
    const { report, world } = all;
    for (const [f, c] of Object.entries(report.fields)) expect(c.fromFile + c.imputed, f).toBe(world.n);
    expect(Object.keys(report.fields)).toEqual(
      expect.arrayContaining(['fsm', 'attainment', 'attendance', 'sen', 'quality', 'behaviour', 'ofstedProgress', 'ofstedBehaviour', 'staffDays', 'keyPerson', 'pupils', 'location', 'lastInspection', 'feeders']),
    );
    expect(report.fields).toMatchObject({
      location: { fromFile: 11, imputed: 1 },
      pupils: { fromFile: 11, imputed: 1 },
      fsm: { fromFile: 11, imputed: 1 },
      attainment: { fromFile: 8, imputed: 4 },
      quality: { fromFile: 10, imputed: 2 },
      behaviour: { fromFile: 5, imputed: 7 },
      ofstedProgress: { fromFile: 10, imputed: 2 },
      ofstedBehaviour: { fromFile: 5, imputed: 7 },
      lastInspection: { fromFile: 7, imputed: 5 },
      sen: { fromFile: 0, imputed: 12 },
      attendance: { fromFile: 0, imputed: 12 },
      staffDays: { fromFile: 0, imputed: 12 },
      keyPerson: { fromFile: 0, imputed: 12 },
      feeders: { fromFile: 12, imputed: 0 },
    });
  });

  it('reports the unparseable values as skipped, with file, row and column, and counts suppression', () => {
    const { report } = all;
    expect(report.skippedRows).toEqual([
      { file: fx.gias, row: 20, column: 'NumberOfPupils', reason: expect.stringMatching(/unparseable number '1,2OO'/) },
      { file: fx.ks4, row: 10, column: 'PTAC5EM_PTQ', reason: expect.stringMatching(/unparseable number '5O%'/) },
    ]);
    expect(report.skippedCounts).toEqual({ [fx.gias]: 1, [fx.ks4]: 1 });
    const sup = (file: string, column: string): number | undefined => report.suppressed.find((s) => s.file === file && s.column === column)?.count;
    expect(sup(fx.ks4, 'PTAC5EM_PTQ')).toBe(1); // SUPP for Bishop's Academy
    expect(sup(fx.ks4, 'B8VAMEA_PTQ')).toBe(2); // NE, LOWCOV
    expect(sup(fx.ks4, 'PTFSMCLA')).toBe(1);
    expect(sup(fx.ofsted, 'Achievement of pupils')).toBe(1); // NULL
    expect(sup(fx.gias, 'PercentageFSM')).toBe(1);
  });

  it('imputes missing values within the generator ranges', () => {
    const w = all.world;
    const i = idx(w, 100005); // nothing known but its LA
    expect(w.fsm[i]).toBeGreaterThan(0);
    expect(w.fsm[i]).toBeLessThan(1);
    expect(Number.isFinite(w.attainment[i])).toBe(true);
    expect(w.x[i]).toBeGreaterThan(520);
    expect(w.x[i]).toBeLessThan(535);
    for (let s = 0; s < w.n; s++) {
      expect(w.attendance[s]).toBeGreaterThanOrEqual(0.7);
      expect(w.attendance[s]).toBeLessThanOrEqual(1);
      expect(w.sen[s]).toBeGreaterThan(0);
      expect(w.sen[s]).toBeLessThanOrEqual(0.6);
      expect([1, 2, 3, 4]).toContain(w.ofstedProgress[s]);
      expect([1, 2, 3, 4]).toContain(w.ofstedBehaviour[s]);
      expect(w.staffDays[s]).toBeGreaterThan(0);
      expect(Number.isFinite(w.quality[s]) && Number.isFinite(w.behaviour[s])).toBe(true);
    }
  });

  it('backs quality out of attainment: higher attainment for the same intake means higher quality', () => {
    const w = all.world;
    // Simon Langton (97%, FSM 4%) vs Herne Bay (attainment imputed): quality from the file is strongly positive.
    expect(w.quality[idx(w, 118003)]).toBeGreaterThan(0.5);
    // Westfield (38%, FSM 41%): below what its intake predicts? Its CVA-like residual and grade 3 pull it down.
    expect(w.quality[idx(w, 100003)]).toBeLessThan(w.quality[idx(w, 100002)]);
  });

  it('makes each primary a feeder of its nearest secondary in the same LA', () => {
    const w = all.world;
    const feeds = (p: number): number => w.primarySecondary[p];
    // Primaries are stored by (LA, URN): 100020..100023 then 118020..118024.
    expect(w.urn[feeds(0)]).toBe(100002); // Kentish Town CofE: nearest is St Thomas à Becket
    expect(w.urn[feeds(4)]).toBe(118001); // Wincheap: Notre Dame, Canterbury
    expect(w.urn[feeds(5)]).toBe(118004); // Herne Bay Junior: Herne Bay High
    expect(w.urn[feeds(6)]).toBe(118006); // St Mary's, Folkestone: Folkestone Academy
    expect(w.urn[feeds(8)]).toBe(118007); // Whitfield: Dover Grammar
    for (let p = 0; p < w.nPrimary; p++) {
      expect(w.la[feeds(p)]).toBe(p < 4 ? 0 : 1);
      expect(w.primaryPupils[p]).toBeGreaterThan(0);
    }
    expect(w.primaryPupils[0]).toBe(210);
    // The model reads the counts: each secondary's feeders are the primaries that feed it.
    for (let i = 0; i < w.n; i++) expect(w.feeders[i], `school ${i}`).toBe(Array.from(w.primarySecondary).filter((s) => s === i).length);
    expect(w.feeders[feeds(4)]).toBeGreaterThanOrEqual(1);
  });

  it('is deterministic for a seed and differs across seeds only in imputed values', async () => {
    const again = await importWorld({ schoolsFile: fx.gias, ks4: fx.ks4, ofsted: fx.ofsted }, defaultParams(), new Rng('import-test'));
    expect(Array.from(again.world.attainment)).toEqual(Array.from(all.world.attainment));
    expect(Array.from(again.world.quality)).toEqual(Array.from(all.world.quality));
    const other = await importWorld({ schoolsFile: fx.gias, ks4: fx.ks4, ofsted: fx.ofsted }, defaultParams(), new Rng('another seed'));
    const i = idx(all.world, 100001);
    expect(other.world.attainment[i]).toBe(all.world.attainment[i]);
    expect(other.world.fsm[i]).toBe(all.world.fsm[i]);
    const j = idx(all.world, 100005);
    expect(other.world.fsm[j]).not.toBe(all.world.fsm[j]);
  });

  it('runs in the model', () => {
    const m = new Model(all.world, defaultParams(), { years: 2, stepsPerYear: 3, startYear: 2007, seed: 1, replication: 0 }).run();
    for (const v of m.timeseries) expect(Number.isNaN(v)).toBe(false);
  });
});

describe('the LA filter', () => {
  it('keeps one LA and counts the others as outside-la', async () => {
    const { world, report } = await importWorld({ schoolsFile: fx.gias, ks4: fx.ks4, ofsted: fx.ofsted, las: ['202'] }, defaultParams(), new Rng('la'));
    checkWorld(world);
    expect(world.nLa).toBe(1);
    expect(world.laCode).toEqual(['202']);
    expect(report.kept).toEqual({ secondaries: 5, primaries: 4, las: 1 });
    expect(report.excluded).toEqual({ ...EXPECTED.excluded202, 'outside-la': 18, 'ks4:summary-row': 3 });
    expect(report.joins).toEqual({ ks4Matched: 4, ks4Unmatched: 1, ofstedMatched: 3, ofstedUnmatched: 2 });
    for (const c of Object.values(report.fields)) expect(c.fromFile + c.imputed).toBe(5);
    // Kent's unparseable pupil count is not reported for a Camden-only run.
    expect(report.skippedRows.every((s) => s.file !== fx.gias)).toBe(true);
  });

  it('accepts LA names and several LAs', async () => {
    const { world } = await importWorld({ schoolsFile: fx.gias, las: ['kent', '202'] }, defaultParams(), new Rng('la'));
    expect(world.laCode).toEqual(['202', '886']);
  });

  it('drops the feeders of an LA with no secondary', async () => {
    const { report } = await importWorld({ schoolsFile: fx.gias, las: ['201', '886'] }, defaultParams(), new Rng('la'));
    expect(report.kept).toEqual({ secondaries: 7, primaries: 5, las: 1 });
    expect(report.excluded['primary-without-secondary']).toBe(1);
  });
});

describe('schools file alone', () => {
  it('imputes what KS4 and Ofsted would have given', async () => {
    const { world, report } = await importWorld({ schoolsFile: fx.gias }, defaultParams(), new Rng('alone'));
    checkWorld(world);
    expect(report.files).toHaveLength(1);
    expect(report.joins).toEqual({ ks4Matched: 0, ks4Unmatched: 0, ofstedMatched: 0, ofstedUnmatched: 0 });
    expect(report.fields['attainment']).toEqual({ fromFile: 0, imputed: 12 });
    // GIAS ratings for 10 of the 12 secondaries.
    expect(report.fields['ofstedProgress']).toEqual({ fromFile: 10, imputed: 2 });
    expect(report.fields['quality']).toEqual({ fromFile: 10, imputed: 2 });
  });
});

describe('the worked example in docs/import.md (Kent, seed 1)', () => {
  it('gives the numbers the docs quote', async () => {
    const { world, report } = await importWorld(
      { schoolsFile: fx.gias, ks4: fx.ks4, ofsted: fx.ofsted, las: ['886'] },
      defaultParams(),
      Rng.fromKey({ seed: 1, replication: 0, stream: 'world' }),
    );
    expect(report.kept).toEqual({ secondaries: 7, primaries: 5, las: 1 });
    expect(report.excluded).toEqual({ 'outside-la': 17, independent: 1, special: 2, 'other-type': 1, closed: 1, 'ks4:summary-row': 3 });
    expect(report.joins).toEqual({ ks4Matched: 6, ks4Unmatched: 1, ofstedMatched: 3, ofstedUnmatched: 4 });
    expect(report.fields).toMatchObject({
      fsm: { fromFile: 7, imputed: 0 },
      pupils: { fromFile: 7, imputed: 0 },
      location: { fromFile: 7, imputed: 0 },
      attainment: { fromFile: 5, imputed: 2 },
      ofstedProgress: { fromFile: 6, imputed: 1 },
      ofstedBehaviour: { fromFile: 3, imputed: 4 },
    });
    expect(world.pupils[idx(world, 118004)]).toBe(950);
    const langton = idx(world, 118003);
    const marsh = idx(world, 118005);
    expect(Math.round(world.attainment[langton])).toBe(117);
    expect(world.quality[langton]).toBeGreaterThan(1.2);
    expect(Math.round(world.attainment[marsh])).toBe(90);
    expect(world.quality[marsh]).toBeLessThan(0);
    expect(world.urn[world.primarySecondary[0]]).toBe(118001); // Wincheap -> Notre Dame
    expect(world.urn[world.primarySecondary[4]]).toBe(118007); // Whitfield -> Dover Grammar
  });
});
