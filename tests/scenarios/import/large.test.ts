/**
 * A national-size GIAS file (25,000 establishments, the full ~130-column header,
 * Windows-1252, every field quoted) generated in a temp dir: it must load, streamed,
 * and count correctly. No time is asserted (CI machines vary); the test's own
 * timeout bounds it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { encodeCp1252, GIAS_HEADER, giasLine, type GiasRow } from '../../fixtures/import/make-fixtures.js';
import { importWorld } from '../../../scenarios/import/index.js';
import { checkWorld } from '../../../sim/world.js';
import { defaultParams } from '../../../sim/params.js';
import { Rng } from '../../../sim/rng.js';

const ROWS = 25_000;
const LAS = 125;
const PER_LA = ROWS / LAS;

/** Deterministic establishment i: mostly primaries, some secondaries, a share of each left-out kind. */
function row(i: number): GiasRow {
  const l = Math.floor(i / PER_LA); // LAs in blocks of 200 rows, each with every kind
  const la = String(201 + l);
  const k = i % 20;
  const base: GiasRow = {
    urn: 100000 + i,
    la,
    laName: `Authority ${la}`,
    name: `School ${i}, Street ${i % 97} – Ward à ${i % 13}`,
    type: 'Community school',
    group: 'Local authority maintained schools',
    status: 'Open',
    phase: 'Primary',
    low: 4,
    high: 11,
    pupils: 200 + (i % 300),
    fsm: ((i * 7) % 500) / 10,
    easting: 400000 + (l % 12) * 15000 + (i % 7) * 300,
    northing: 200000 + Math.floor(l / 12) * 15000 + (i % 11) * 300,
    rating: ['Outstanding', 'Good', 'Requires improvement', 'Inadequate', ''][i % 5],
  };
  if (k < 3) return { ...base, phase: 'Secondary', low: 11, high: 18, pupils: 900 + (i % 700) };
  if (k === 3) return { ...base, status: 'Closed' };
  if (k === 4) return { ...base, group: 'Independent schools', type: 'Other independent school', phase: 'Not applicable' };
  if (k === 5) return { ...base, group: 'Special schools', type: 'Community special school', phase: 'Not applicable' };
  if (k === 6) return { ...base, phase: 'Nursery', type: 'Local authority nursery school' };
  return base;
}

describe('a 25,000-row GIAS file', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'partnersim-import-large-'));
    file = join(dir, 'edubasealldata20240101.csv');
    const out = createWriteStream(file);
    out.write(encodeCp1252(GIAS_HEADER.map((h) => `"${h}"`).join(',') + '\r\n'));
    let buf = '';
    for (let i = 0; i < ROWS; i++) {
      buf += giasLine(row(i));
      if (buf.length > 1 << 20) {
        if (!out.write(encodeCp1252(buf))) await once(out, 'drain');
        buf = '';
      }
    }
    out.write(encodeCp1252(buf));
    out.end();
    await once(out, 'finish');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads every LA and counts establishments by kind', async () => {
    const { world, report } = await importWorld({ schoolsFile: file }, defaultParams(), new Rng('large'));
    checkWorld(world);
    const per = ROWS / 20;
    expect(report.files[0]).toMatchObject({ role: 'schools', rows: ROWS, encoding: 'windows-1252', format: 'gias' });
    expect(report.kept.secondaries).toBe(3 * per);
    expect(report.kept.primaries).toBe(13 * per);
    expect(report.kept.las).toBe(LAS);
    expect(report.excluded).toEqual({ closed: per, independent: per, special: per, 'other-phase': per });
    expect(world.n).toBe(3 * per);
    expect(world.nPrimary).toBe(13 * per);
    for (const f of Object.values(report.fields)) expect(f.fromFile + f.imputed).toBe(world.n);
    expect(report.fields['fsm']).toEqual({ fromFile: world.n, imputed: 0 });
    expect(world.name[0]).toMatch(/– Ward à/);
  });

  it('filters to one LA', async () => {
    const { world, report } = await importWorld({ schoolsFile: file, las: ['205'] }, defaultParams(), new Rng('large'));
    expect(world.nLa).toBe(1);
    expect(world.laCode[0]).toBe('205');
    expect(world.n).toBe((3 * PER_LA) / 20);
    expect(world.nPrimary).toBe((13 * PER_LA) / 20);
    expect(report.excluded['outside-la']).toBe(ROWS - PER_LA);
  });
});
