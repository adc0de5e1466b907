/**
 * The pure parts of the bench: the phase table's aggregation of a CPU profile, and
 * the README's list of bench sections (docs and code held together).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { phaseTimes } from '../../bench/engine.js';
import { ROOT, SECTIONS, median } from '../../bench/util.js';

describe('phaseTimes', () => {
  it('sums self time by mechanism file, with the generator, GC and the rest apart', () => {
    const frame = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url } });
    const profile = {
      nodes: [
        frame(1, 'interact', 'file:///x/dist/sim/trust.js'),
        frame(2, 'get', 'file:///x/dist/sim/trust-table.js'),
        frame(3, 'exclusionsStep', 'file:///x/dist/sim/exclusions.js'),
        frame(4, 'prng', 'file:///x/node_modules/seedrandom/lib/xor4096.js'),
        frame(5, '(garbage collector)', ''),
        frame(6, 'parse', 'node:internal/modules/esm/utils'),
      ],
      samples: [1, 1, 2, 3, 4, 5, 6, 1],
      timeDeltas: [1000, 2000, 500, 250, 125, 4000, 8000, 0],
    };
    const dir = mkdtempSync(join(tmpdir(), 'partnersim-prof-test-'));
    try {
      const file = join(dir, 'p.cpuprofile');
      writeFileSync(file, JSON.stringify(profile));
      const t = phaseTimes(file);
      // microseconds -> seconds
      expect(t.get('trust: interactions, informal sharing (6, 7)')).toBeCloseTo(0.003, 12);
      expect(t.get('trust: pairwise table')).toBeCloseTo(0.0005, 12);
      expect(t.get('exclusions (9)')).toBeCloseTo(0.00025, 12);
      expect(t.get('generator: seedrandom')).toBeCloseTo(0.000125, 12);
      expect(t.get('garbage collector')).toBeCloseTo(0.004, 12);
      expect(t.get('other (loading, scenario, records)')).toBeCloseTo(0.008, 12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bench helpers and docs', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('the README names every bench section and the --huge flag', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const speed = readme.slice(readme.indexOf('## Speed'), readme.indexOf('## Layout'));
    for (const s of SECTIONS.filter((x) => x !== 'sweep' && x !== 'memory')) expect(speed).toContain(`**${s}**`);
    expect(speed).toContain('--huge');
    expect(speed).toContain('PARTNERSIM_TIMING');
  });
});
