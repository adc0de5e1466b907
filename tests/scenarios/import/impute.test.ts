/**
 * Gap filling: the conditional draws are the generator's distributions given what
 * is known. Checked against the generator itself and against brute-force rejection
 * sampling.
 */
import { describe, expect, it } from 'vitest';
import {
  buildWorld,
  drawGivenGrade,
  imputeWorld,
  laGeometry,
  modelAttainmentSd,
  newKnown,
  truncatedStdNormal,
  type JoinedSchool,
} from '../../../scenarios/import/index.js';
import { cuts, generateWorld, grade } from '../../../sim/generate.js';
import { allocWorld, checkWorld, type World } from '../../../sim/world.js';
import { defaultParams } from '../../../sim/params.js';
import { Rng } from '../../../sim/rng.js';

const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, x) => s + x, 0) / a.length;
const sd = (a: ArrayLike<number>): number => {
  const m = mean(a);
  return Math.sqrt(Array.from(a).reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1));
};
const corr = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
};

/** A world skeleton copying the generator's LA layout (n, nLa, la, laStart). */
function skeleton(g: World): World {
  const w = allocWorld(g.n, g.nLa, 0);
  w.la.set(g.la);
  w.laStart.set(g.laStart);
  return w;
}

describe('truncated normal and grade-conditional draws', () => {
  it('truncatedStdNormal stays in its interval, even far in the tails', () => {
    const rng = new Rng('tn');
    for (const [a, b] of [
      [-Infinity, -1.5],
      [0.2, 0.9],
      [2.5, Infinity],
      [9, 12],
      [-12, -9],
    ]) {
      for (let k = 0; k < 200; k++) {
        const t = truncatedStdNormal(a, b, rng.next());
        expect(t).toBeGreaterThanOrEqual(a);
        expect(t).toBeLessThanOrEqual(b);
      }
    }
  });

  it('drawGivenGrade matches rejection sampling from the generator', () => {
    const p = defaultParams();
    const noise = p.inspection.noise;
    const gsd = Math.sqrt(1 + noise * noise);
    const c = cuts(p.world.ofstedOutstanding, p.world.ofstedGood, p.world.ofstedInadequate);
    const rng = new Rng('grade');
    for (const [m, v] of [
      [0, 1],
      [0.8, 0.06],
      [-0.5, 0.3],
    ]) {
      const byGrade: number[][] = [[], [], [], [], []];
      for (let k = 0; k < 200_000; k++) {
        const x = m + Math.sqrt(v) * rng.normal();
        byGrade[grade(x + noise * rng.normal(), gsd, c)].push(x);
      }
      for (let g = 1; g <= 4; g++) {
        const ref = byGrade[g];
        if (ref.length < 2000) continue;
        const draws = Array.from({ length: 20_000 }, () => drawGivenGrade(m, v, noise, gsd, c, g, rng.next(), rng.normal()));
        expect(Math.abs(mean(draws) - mean(ref)), `m=${m} v=${v} grade ${g}`).toBeLessThan(0.02);
        expect(Math.abs(sd(draws) - sd(ref)), `m=${m} v=${v} grade ${g}`).toBeLessThan(0.02);
      }
    }
  });
});

describe('imputeWorld', () => {
  const p = defaultParams();
  const truth = generateWorld(p, 3300, new Rng('truth'));

  it('with nothing known, reproduces the generator’s distributions', () => {
    const w = skeleton(truth);
    const k = newKnown(w.n);
    const geo = laGeometry(w.nLa, w.la, k.x, k.y, new Int32Array(w.nLa).fill(22), new Rng('geo'));
    const counts = imputeWorld(w, k, p, new Rng('impute'), geo);
    for (const c of Object.values(counts)) expect(c).toEqual({ fromFile: 0, imputed: w.n });
    let num = 0;
    let den = 0;
    for (let i = 0; i < w.n; i++) {
      num += w.pupils[i] * w.fsm[i];
      den += w.pupils[i];
    }
    expect(num / den).toBeCloseTo(p.world.fsmMean, 3);
    expect(Math.abs(mean(w.attainment) - mean(truth.attainment))).toBeLessThan(0.5);
    expect(Math.abs(sd(w.attainment) - modelAttainmentSd(p))).toBeLessThan(0.7); // one 3,300-school world varies by about 0.3
    expect(Math.abs(modelAttainmentSd(p) - 8.3)).toBeLessThan(0.3);
    expect(Math.abs(mean(w.attendance) - mean(truth.attendance))).toBeLessThan(0.003);
    expect(Math.abs(mean(w.sen) - mean(truth.sen))).toBeLessThan(0.005);
    expect(Math.abs(corr(w.fsm, w.attainment) - corr(truth.fsm, truth.attainment))).toBeLessThan(0.1);
    expect(Math.abs(corr(w.quality, w.behaviour) - 0.5)).toBeLessThan(0.05);
    const share = (a: Uint8Array, g: number): number => Array.from(a).filter((x) => x === g).length / a.length;
    expect(Math.abs(share(w.ofstedProgress, 1) - share(truth.ofstedProgress, 1))).toBeLessThan(0.03);
    expect(Math.abs(share(w.ofstedProgress, 4) - share(truth.ofstedProgress, 4))).toBeLessThan(0.015);
    expect(Math.abs(share(w.ofstedBehaviour, 4) - share(truth.ofstedBehaviour, 4))).toBeLessThan(0.01);
    expect(Math.abs(mean(w.keyPerson) - p.world.keyPersonShare)).toBeLessThan(0.03);
  });

  it('backs quality out of known attainment and FSM', () => {
    const w = skeleton(truth);
    const k = newKnown(w.n);
    k.fsm.set(truth.fsm);
    k.attainment.set(truth.attainment);
    const geo = laGeometry(w.nLa, w.la, k.x, k.y, new Int32Array(w.nLa).fill(22), new Rng('geo'));
    const counts = imputeWorld(w, k, p, new Rng('impute'), geo);
    expect(counts['quality']).toEqual({ fromFile: w.n, imputed: 0 });
    expect(Array.from(w.attainment)).toEqual(Array.from(truth.attainment));
    expect(corr(w.quality, truth.quality)).toBeGreaterThan(0.9);
    expect(Math.abs(sd(w.quality) - 1)).toBeLessThan(0.1);
    // Behaviour follows quality as in the generator: b = 0.5 q + noise, so corr(b, b_true) is about 0.25.
    expect(corr(w.behaviour, truth.behaviour)).toBeGreaterThan(0.15);
    expect(Math.abs(corr(w.behaviour, w.quality) - 0.5)).toBeLessThan(0.05);
  });

  it('draws missing FSM around the LA mean of known FSM', () => {
    const w = skeleton(truth);
    const k = newKnown(w.n);
    // Know FSM for every other school.
    for (let i = 0; i < w.n; i += 2) k.fsm[i] = truth.fsm[i];
    const geo = laGeometry(w.nLa, w.la, k.x, k.y, new Int32Array(w.nLa).fill(22), new Rng('geo'));
    imputeWorld(w, k, p, new Rng('impute'), geo);
    const laMeanKnown: number[] = [];
    const laMeanImputed: number[] = [];
    for (let l = 0; l < w.nLa; l++) {
      const known: number[] = [];
      const imp: number[] = [];
      for (let i = w.laStart[l]; i < w.laStart[l + 1]; i++) (i % 2 === 0 ? known : imp).push(w.fsm[i]);
      if (known.length >= 4 && imp.length >= 4) {
        laMeanKnown.push(mean(known));
        laMeanImputed.push(mean(imp));
      }
    }
    expect(corr(laMeanKnown, laMeanImputed)).toBeGreaterThan(0.7);
  });

  it('orders quality by a known Ofsted grade when nothing else is known', () => {
    const w = skeleton(truth);
    const k = newKnown(w.n);
    for (let i = 0; i < w.n; i++) k.ofstedProgress[i] = truth.ofstedProgress[i];
    const geo = laGeometry(w.nLa, w.la, k.x, k.y, new Int32Array(w.nLa).fill(22), new Rng('geo'));
    imputeWorld(w, k, p, new Rng('impute'), geo);
    const byGrade = [1, 2, 3, 4].map((g) => mean(Array.from(w.quality).filter((_, i) => w.ofstedProgress[i] === g)));
    expect(byGrade[0]).toBeGreaterThan(byGrade[1]);
    expect(byGrade[1]).toBeGreaterThan(byGrade[2]);
    expect(byGrade[2]).toBeGreaterThan(byGrade[3]);
    expect(Array.from(w.ofstedProgress)).toEqual(Array.from(truth.ofstedProgress));
    expect(corr(w.quality, truth.quality)).toBeGreaterThan(0.5);
  });
});

describe('buildWorld', () => {
  const school = (urn: number, laCode: string, x?: number, y?: number): JoinedSchool => ({ urn, name: `S${urn}`, laCode, x, y });

  it('places an LA without locations east of the others and links LAs by centroid distance', () => {
    const secs = [
      school(5, '300', 100, 100),
      school(4, '300', 102, 101),
      school(3, '10', 200, 100),
      school(2, '10', 201, 99),
      school(1, 'ZZ'),
      school(6, '2', 150, 100),
    ];
    const names = new Map([
      ['300', 'West'],
      ['10', 'East'],
      ['2', 'Middle'],
    ]);
    const { world, fields } = buildWorld(secs, [], names, defaultParams(), new Rng('build'));
    checkWorld(world);
    expect(world.laCode).toEqual(['2', '10', '300', 'ZZ']); // numeric codes in number order, then text
    expect(world.laName).toEqual(['Middle', 'East', 'West', 'LA ZZ']);
    expect(Array.from(world.urn)).toEqual([6, 2, 3, 4, 5, 1]);
    expect(fields['location']).toEqual({ fromFile: 5, imputed: 1 });
    expect(world.x[5]).toBeGreaterThan(201); // ZZ is placed east of East
    const nb = (l: number): number[] => Array.from(world.laNeighbours.slice(l * 4, l * 4 + 4));
    expect(nb(0)).toEqual([2, 1, 3, -1]); // Middle: West (49 km), East (50.5 km), ZZ
    expect(nb(2)).toEqual([0, 1, 3, -1]); // West: Middle, East, then ZZ
    expect(fields['feeders']).toEqual({ fromFile: 0, imputed: 6 });
  });
});
