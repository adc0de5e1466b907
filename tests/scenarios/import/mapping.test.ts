/**
 * The --columns map: reading a file with its own headers and units, overriding one
 * column of a known layout, and strict validation of the map itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importWorld, loadColumnsMap } from '../../../scenarios/import/index.js';
import { InputError } from '../../../sim/errors.js';
import { checkWorld } from '../../../sim/world.js';
import { defaultParams } from '../../../sim/params.js';
import { Rng } from '../../../sim/rng.js';
import { writeFixtures, type FixturePaths } from '../../fixtures/import/make-fixtures.js';

let dir: string;
let fx: FixturePaths;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partnersim-import-map-'));
  fx = await writeFixtures(join(dir, 'fixtures'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(name: string, content: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, content);
  return p;
}

describe('a schools file with its own headers', () => {
  it('reads every mapped field in its unit', async () => {
    const { world, report } = await importWorld({ schoolsFile: fx.custom, columns: fx.customColumns }, defaultParams(), new Rng('map'));
    checkWorld(world);
    expect(report.files.map((f) => [f.role, f.format])).toEqual([
      ['schools', 'mapped'],
      ['columns', 'yaml'],
    ]);
    expect(report.files[1].rows).toBe(11);
    expect(world.laCode).toEqual(['AAA', 'BBB']);
    expect(world.laName).toEqual(['Northshire', 'Southshire']);
    expect(Array.from(world.urn)).toEqual([500001, 500002, 500003, 500004]);
    expect(world.name[1]).toBe('Riverside School, East');
    expect(world.fsm[0]).toBeCloseTo(0.21, 6); // fraction, not percent
    expect(world.attainment[0]).toBeCloseTo(104.5, 4); // already on the model scale
    expect(world.attainment[2]).toBeCloseTo(108.25, 4);
    expect(world.x[0]).toBeCloseTo(400.5, 4); // km, not metres
    expect(world.y[0]).toBeCloseTo(300.25, 4);
    expect(Array.from(world.ofstedProgress.slice(0, 3))).toEqual([2, 3, 1]);
    expect(Array.from(world.ofstedBehaviour.slice(0, 3))).toEqual([2, 3, 1]);
    expect(report.fields).toMatchObject({
      fsm: { fromFile: 3, imputed: 1 },
      attainment: { fromFile: 4, imputed: 0 },
      pupils: { fromFile: 3, imputed: 1 },
      ofstedProgress: { fromFile: 3, imputed: 1 },
      feeders: { fromFile: 0, imputed: 4 }, // no primaries in the file: synthetic feeder groups
    });
    // No status or phase columns: every row is an open secondary.
    expect(report.excluded).toEqual({});
  });

  it('overrides one column of a known layout and standardises a mapped attainment column', async () => {
    const ks4 = await put('ks4-renamed.csv', 'RECTYPE,LEA,URN,SCHNAME,GCSE_5AC_EM\nSCH,202,100001,A,40\nSCH,202,100002,B,60\nSCH,202,100003,C,50\n4,202,,Camden,50\n');
    const map = await put('ks4-map.yaml', 'ks4:\n  attainment: GCSE_5AC_EM\n');
    const { world, report } = await importWorld({ schoolsFile: fx.gias, ks4, columns: map, las: ['202'] }, defaultParams(), new Rng('map'));
    expect(report.files.find((f) => f.role === 'ks4')?.format).toBe('mapped');
    expect(report.excluded['ks4:summary-row']).toBe(1); // a numeric RECTYPE summary row
    const a = (urn: number): number => world.attainment[world.urn.indexOf(urn)];
    expect(a(100003)).toBeCloseTo(100, 4); // the file mean
    expect(a(100002) - 100).toBeCloseTo(100 - a(100001), 4);
  });

  it('a mapped column missing from the file is an InputError naming it', async () => {
    const map = await put('bad-col.yaml', 'schools:\n  urn: School ID\n  laCode: LA\n');
    await expect(importWorld({ schoolsFile: fx.custom, columns: map }, defaultParams(), new Rng('map'))).rejects.toThrow(
      /custom\.csv: header row: column 'LA' \(mapped to laCode in the columns map\) is not in the file/,
    );
  });
});

describe('map validation', () => {
  const bad = async (yaml: string, pattern: RegExp): Promise<void> => {
    const f = await put(`map-${Math.random().toString(36).slice(2)}.yaml`, yaml);
    const err = await loadColumnsMap(f).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(pattern);
    expect((err as Error).message.startsWith(f)).toBe(true);
  };

  it('rejects unknown field names, naming the entry and listing the valid ones', async () => {
    await bad('schools:\n  urn: ID\n  fsmm: FSM\n', /schools\.fsmm: unknown field 'fsmm'; fields for schools: urn, name, laCode/);
  });
  it('rejects a field the section does not read', async () => {
    await bad('ofsted:\n  attainment: Score\n', /ofsted\.attainment: field 'attainment' is not read from the ofsted file/);
  });
  it('rejects unknown sections and flat maps', async () => {
    await bad('establishments:\n  urn: ID\n', /unknown section 'establishments'; expected schools, ks4 or ofsted/);
    await bad('urn: ID\n', /unknown section 'urn'.*put field mappings under a section/);
  });
  it('rejects unknown units and units on unit-less fields', async () => {
    await bad('schools:\n  fsm: { column: FSM, unit: percentage }\n', /schools\.fsm\.unit: unknown unit 'percentage'; expected one of percent, fraction/);
    await bad('schools:\n  name: { column: School, unit: percent }\n', /schools\.name\.unit: unknown unit 'percent'; field 'name' takes no unit/);
  });
  it('rejects bad shapes, empty maps and YAML syntax errors', async () => {
    await bad('schools:\n  urn: { col: ID }\n', /schools\.urn\.col: unknown key 'col'/);
    await bad('schools:\n  urn: [a, b]\n', /schools\.urn: expected a column name/);
    await bad('', /the columns map is empty/);
    await bad('schools:\n  urn: "ID\n', /not valid YAML/);
    await bad('- a\n- b\n', /expected a mapping with sections/);
  });
});
