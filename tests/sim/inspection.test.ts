/**
 * Mechanism 9, Ofsted grades (inspection.ts; NAO [3.2, 21e]): inspections of
 * underlying quality with noise reproduce the 2008/09 grade shares, track quality
 * and its changes, credit partnership work once Ofsted judges it, and come round on
 * the inspection cycle.
 */
import { describe, expect, it } from 'vitest';
import { gradeCuts, inspectionStep, scheduleInspections } from '../../sim/inspection.js';
import { cuts, grade } from '../../sim/generate.js';
import { normalCdf } from '../../sim/normal.js';
import { bareState, binomTol, partnership, stream } from './helpers.js';
import { ATTAINMENT } from '../../sim/state.js';

describe('grades', () => {
  it('cut points put N(0, 1) latents into 19% / 38% / 39% / 4%', () => {
    const c = cuts(0.19, 0.38, 0.04);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6); // the CDF used below
    expect(1 - normalCdf(c[0])).toBeCloseTo(0.19, 6);
    expect(normalCdf(c[0]) - normalCdf(c[1])).toBeCloseTo(0.38, 6);
    expect(normalCdf(c[2])).toBeCloseTo(0.04, 6);
    expect(grade(10, 1, c)).toBe(1);
    expect(grade(0, 1, c)).toBe(2); // the median school is good (good runs from the 43rd to the 81st percentile)
    expect(grade(-0.2, 1, c)).toBe(3);
    expect(grade(-10, 1, c)).toBe(4);
    expect(grade(c[0] * 2 + 1e-9, 2, c)).toBe(1); // latent scaled by its SD
  });

  it('inspecting England reproduces the starting shares, and better schools get better grades', () => {
    const s = bareState(3300);
    const c = gradeCuts(s);
    s.nextInspection.fill(2009);
    inspectionStep(s, 2009, c, stream('inspect'));
    const n = s.n;
    const count = [0, 0, 0, 0, 0];
    const qSum = [0, 0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      count[s.ofstedProgress[i]]++;
      qSum[s.ofstedProgress[i]] += s.home[i];
    }
    // Quality N(0, 1) plus noise N(0, 0.5^2) over its SD: exactly the target shares, binomial at 3,300.
    [0.19, 0.38, 0.39, 0.04].forEach((want, g) => expect(Math.abs(count[g + 1] / n - want), `grade ${g + 1}`).toBeLessThan(binomTol(want, n)));
    const meanQ = qSum.map((x, g) => x / Math.max(1, count[g]));
    expect(meanQ[1]).toBeGreaterThan(meanQ[2]);
    expect(meanQ[2]).toBeGreaterThan(meanQ[3]);
    expect(meanQ[3]).toBeGreaterThan(meanQ[4]);
  });

  it('track quality: P(outstanding | quality q) = 1 - Phi((c1 x 1.118 - q) / 0.5)', () => {
    const s = bareState(4000);
    const c = gradeCuts(s);
    const sd = Math.sqrt(1.25);
    for (const q of [-1, 0.5, 1.5]) {
      s.home.fill(q);
      s.shock.fill(0);
      s.improveAtt.fill(0);
      s.nextInspection.fill(2009);
      inspectionStep(s, 2009, c, stream(`track-${q}`));
      let out = 0;
      let inad = 0;
      for (let i = 0; i < s.n; i++) {
        if (s.ofstedProgress[i] === 1) out++;
        if (s.ofstedProgress[i] === 4) inad++;
      }
      const pOut = 1 - normalCdf((c.progress[0] * sd - q) / 0.5);
      const pInad = normalCdf((c.progress[2] * sd - q) / 0.5);
      expect(Math.abs(out / s.n - pOut), `outstanding at q=${q}`).toBeLessThan(binomTol(pOut, s.n) + 1e-3);
      expect(Math.abs(inad / s.n - pInad), `inadequate at q=${q}`).toBeLessThan(binomTol(pInad, s.n) + 1e-3);
    }
  });

  it('improvement from partnering counts (in SD units of attainment), and Ofsted credits partnership work from 2009', () => {
    const s = bareState(4000);
    const c = gradeCuts(s);
    const share = (): number => {
      s.nextInspection.fill(2009);
      inspectionStep(s, 2009, c, stream('credit'));
      let good = 0;
      for (let i = 0; i < s.n; i++) if (s.ofstedProgress[i] <= 2) good++;
      return good / s.n;
    };
    const before = share();
    s.improveAtt.fill(3); // half an SD of quality (6 points)
    const improved = share();
    expect(improved).toBeGreaterThan(before + 0.1);
    s.improveAtt.fill(0);
    s.lev.ofstedJudgesPartnership = true;
    expect(share()).toBe(before); // same draws, nobody partnering: nothing to credit
    partnership(s, Array.from({ length: s.n }, (_, k) => k), ATTAINMENT); // everyone in one partnership
    const credited = share();
    expect(credited).toBeGreaterThan(before + 0.05);
    s.lev.ofstedJudgesPartnership = false;
    expect(share()).toBe(before);
  });
});

describe('schedule', () => {
  it('first inspections spread over one cycle; then every 0.6-1.4 cycles whatever the grade, with the same timing and noise in every scenario', () => {
    const s = bareState(2000);
    const st = stream('schedule');
    scheduleInspections(s, 2007, st);
    for (let i = 0; i < s.n; i++) {
      expect(s.nextInspection[i]).toBeGreaterThanOrEqual(2007);
      expect(s.nextInspection[i]).toBeLessThan(2010);
    }
    const c = gradeCuts(s);
    s.nextInspection.fill(2008);
    inspectionStep(s, 2008, c, st);
    const gaps = Array.from(s.nextInspection, (x) => x - 2008);
    const grades = Array.from(s.ofstedProgress);
    let weak = 0;
    let weakGap = 0;
    let strong = 0;
    let strongGap = 0;
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(3 * 0.6 - 1e-4);
      expect(gap).toBeLessThanOrEqual(3 * 1.4 + 1e-4);
      if (grades[i] >= 3) {
        weak++;
        weakGap += gap;
      } else {
        strong++;
        strongGap += gap;
      }
    });
    // Mean gap 3 years (uniform 0.6-1.4 of the cycle) for weaker and stronger schools alike: SD 0.69, SE under 0.03.
    expect(Math.abs(weakGap / weak - 3)).toBeLessThan(0.12);
    expect(Math.abs(strongGap / strong - 3)).toBeLessThan(0.12);
    // The same schools made better (another scenario): the same timing, better grades from the same noise.
    const t = bareState(2000);
    t.nextInspection.fill(2008);
    t.improveAtt.fill(6);
    inspectionStep(t, 2008, c, st);
    expect(Array.from(t.nextInspection)).toEqual(Array.from(s.nextInspection));
    for (let i = 0; i < s.n; i++) expect(t.ofstedProgress[i]).toBeLessThanOrEqual(s.ofstedProgress[i]);
    // Not due: not inspected.
    const before = Array.from(s.ofstedProgress);
    inspectionStep(s, 2008.5, c, stream('schedule-3'));
    expect(Array.from(s.ofstedProgress)).toEqual(before);
  });
});
