/**
 * Mechanism 1, need drives joining (need.ts; NAO [7, 2.12-2.14]): need scores by
 * hand, and a world without need forming far fewer partnerships than a needy one.
 */
import { describe, expect, it } from 'vitest';
import { select, updateNeed, willingness } from '../../sim/need.js';
import { formationStep } from '../../sim/formation.js';
import { expectedAttainment } from '../../sim/outcomes.js';
import type { World } from '../../sim/world.js';
import { bareState, model, params, stream, world } from './helpers.js';

const logistic = (z: number): number => 1 / (1 + Math.exp(-z));

describe('need scores', () => {
  // National exclusion rate 0.09 a pupil-year; national mean attainment 100; top quartile at 106.
  const NAT = 0.09;
  const s = bareState(20);
  s.topQuartile = 106;
  // An average intake: each school's FSM share at the schools' mean (fixed when the state was made), so deprivation adds nothing (tested below).
  s.world.fsm.fill(s.fsmMean);
  const pupils = (i: number): number => s.world.pupils[i];
  /** fixed-term count this step giving a yearly rate r per pupil. */
  const fixedFor = (i: number, r: number): number => (r * pupils(i)) / s.spy;
  // 0: at the mean, good grades, average exclusions.
  s.attainment[0] = 100;
  s.ofstedProgress[0] = 2;
  s.ofstedBehaviour[0] = 2;
  s.fixedTerm[0] = fixedFor(0, NAT);
  // 1: one attainment scale (6 points) below, inadequate; exclusions e^0.5 above on the smoothed scale, satisfactory.
  const scale = s.p.need.attainmentScale;
  s.attainment[1] = 100 - scale;
  s.ofstedProgress[1] = 4;
  s.ofstedBehaviour[1] = 3;
  s.fixedTerm[1] = fixedFor(1, (NAT + 0.005) * Math.exp(0.5) - 0.005);
  // 2: three scales above, outstanding, almost no exclusions.
  s.attainment[2] = 100 + 3 * scale;
  s.ofstedProgress[2] = 1;
  s.ofstedBehaviour[2] = 1;
  s.fixedTerm[2] = 0;
  // 3: satisfactory, at the mean, but falling 12 points over the year (trend counts half).
  s.attainment[3] = 100;
  s.ofstedProgress[3] = 3;
  s.ofstedBehaviour[3] = 3;
  s.trend[3] = -2 * scale;
  s.fixedTerm[3] = fixedFor(3, NAT);

  it('follows base + (1 - base) logistic(2z - 1) with z from deprivation, shortfall, grades, trend and the higher-performer discount', () => {
    updateNeed(s, NAT, 100);
    // Behaviour need also counts a share (need.crossWeight) of the attainment z: deprivation drives both.
    const cross = s.p.need.crossWeight;
    const disc = s.p.need.highPerformerDiscount; // 0.5
    const need = (z: number): number => 0.15 + 0.85 * logistic(2 * z - 1);
    // School 0 has good grades, so it is a higher performer: z = 0 - 0.5; 0.15 + 0.85 logistic(-2) = 0.251320.
    expect(s.needAtt[0]).toBeCloseTo(0.15 + 0.85 * 0.1192029, 5);
    expect(s.needBeh[0]).toBeCloseTo(need(-disc), 5);
    // z = 1 + 0.7 + 0.7 = 2.4: 0.15 + 0.85 logistic(3.8) = 0.981401.
    expect(s.needAtt[1]).toBeCloseTo(0.981401, 5);
    // Behaviour z = 1 (excess exclusions) + 0.7 (satisfactory) + cross x 2.4.
    expect(s.needBeh[1]).toBeCloseTo(need(1.7 + cross * 2.4), 5);
    if (cross === 0) expect(s.needBeh[1]).toBeCloseTo(0.929303, 5);
    // A school that performs well feels only the baseline need (0.15).
    expect(s.needAtt[2]).toBeCloseTo(0.15, 2);
    expect(s.needAtt[2] - 0.15).toBeLessThan(0.001);
    expect(s.needBeh[2]).toBeLessThan(0.16);
    expect(s.needBeh[2]).toBeGreaterThanOrEqual(0.15);
    // z = 0 + 1 + 0.7 = 1.7 (trend -12 counts as one scale): 0.15 + 0.85 logistic(2.4) = 0.929303.
    expect(s.needAtt[3]).toBeCloseTo(0.929303, 5);
    for (let i = 0; i < 4; i++) {
      expect(s.needAtt[i]).toBeGreaterThanOrEqual(s.p.need.baseline);
      expect(s.needAtt[i]).toBeLessThanOrEqual(1);
    }
  });

  it('each kind of need is discounted only where the school has no problem of that kind (NAO [2.13, 2.14])', () => {
    updateNeed(s, NAT, 100);
    const disc = s.p.need.highPerformerDiscount;
    const before = { att: s.needAtt[3], beh: s.needBeh[3], high: s.highPerformer[3] };
    // School 3 (satisfactory on both) now judged good for behaviour only: a higher performer by
    // the report's definition, its behaviour need falls by the discount, its attainment need does not.
    s.ofstedBehaviour[3] = 2;
    updateNeed(s, NAT, 100);
    expect(before.high).toBe(0);
    expect(s.highPerformer[3]).toBe(1);
    expect(s.needAtt[3]).toBeCloseTo(before.att, 6);
    expect(s.needBeh[3]).toBeLessThan(before.beh);
    const zBefore = (Math.log((before.beh - 0.15) / (1 - before.beh)) + 1) / 2;
    const zAfter = (Math.log((s.needBeh[3] - 0.15) / (1 - s.needBeh[3])) + 1) / 2;
    // Satisfactory (+0.7) becomes good (0) and the discount applies: z falls by 0.7 + disc.
    expect(zBefore - zAfter).toBeCloseTo(0.7 + disc, 4);
    s.ofstedBehaviour[3] = 3;
    updateNeed(s, NAT, 100);
  });

  it('is relative to the national mean: the same school needs more when the nation improves', () => {
    updateNeed(s, NAT, 100 + scale);
    expect(s.needAtt[0]).toBeCloseTo(0.15 + 0.85 * logistic(2 * (1 - 0.5) - 1), 5);
    s.topQuartile = 106;
  });

  it('deprivation raises both needs: fsmWeight per SD of FSM', () => {
    // One SD of FSM above the schools' mean (the mean and SD were fixed from the world's shares when the state was made).
    s.world.fsm[3] = s.fsmMean + s.fsmSd;
    expect(s.fsmZ(3)).toBeCloseTo(1, 5);
    updateNeed(s, NAT, 100);
    const need = (z: number): number => 0.15 + 0.85 * logistic(2 * z - 1);
    expect(s.needAtt[3]).toBeCloseTo(need(1.7 + s.p.need.fsmWeight), 5);
    s.world.fsm[3] = s.fsmMean;
    expect(Math.abs(s.fsmZ(3))).toBeLessThan(1e-6);
  });

  it('flags higher performers (top quartile, or good/outstanding) and gives only them the incentive', () => {
    updateNeed(s, NAT, 100);
    expect(s.highPerformer[0]).toBe(1); // good grades
    expect(s.highPerformer[1]).toBe(0);
    expect(s.highPerformer[2]).toBe(1);
    expect(s.highPerformer[3]).toBe(0); // satisfactory, below the top quartile
    s.attainment[3] = 107; // above the top quartile (106)
    updateNeed(s, NAT, 100);
    expect(s.highPerformer[3]).toBe(1); // now in the top quartile
    expect(willingness(s, 2, false, 0.6)).toBeCloseTo(s.needAtt[2] + 0.6, 6);
    expect(willingness(s, 1, false, 0.6)).toBeCloseTo(s.needAtt[1], 6);
    expect(willingness(s, 1, true, 0)).toBeCloseTo(s.needBeh[1], 6);
  });
});

describe('no need, few partnerships', () => {
  /**
   * A world of identical intakes whose schools all have the given quality, behaviour
   * climate and Ofsted grades. Need is relative to the national mean, so where every
   * school is equally good the attainment need is the at-the-mean level (0.379); with
   * inadequate grades everywhere it is 0.15 + 0.85 logistic(1.8) = 0.879.
   */
  function uniformWorld(quality: number, grade: number): World {
    const p = params();
    const w = world(400, 'need', p);
    for (let i = 0; i < w.n; i++) {
      w.fsm[i] = 0.13;
      w.sen[i] = 0.18;
      w.attendance[i] = 0.94;
      w.quality[i] = quality;
      w.behaviour[i] = quality;
      w.attainment[i] = expectedAttainment(p, 0.13, 0.18, 0.94) + 6 * quality;
      w.ofstedProgress[i] = grade;
      w.ofstedBehaviour[i] = grade;
    }
    return w;
  }

  it('a world where every school performs well forms far fewer partnerships than a needy one (same seed)', () => {
    const p = params((q) => (q.spinup.years = 0));
    const good = model(uniformWorld(2, 1), p, 2, 3);
    const needy = model(uniformWorld(-3, 4), p, 2, 3);
    good.initialise();
    needy.initialise();
    const avg = (a: Float32Array): number => a.reduce((x, y) => x + y, 0) / a.length;
    updateNeed(good.s, good.s.nationalExclusionRate, avg(good.s.attainment));
    updateNeed(needy.s, needy.s.nationalExclusionRate, avg(needy.s.attainment));
    // Every school is at the (uniform) top quartile, so every school is a higher performer:
    // z = 0 - 0.5 where all is well; z = 0.7 + 0.7 - 0.5 where every grade is inadequate.
    expect(avg(good.s.needAtt)).toBeCloseTo(0.15 + 0.85 * logistic(-2), 3);
    expect(avg(needy.s.needAtt)).toBeCloseTo(0.15 + 0.85 * logistic(0.8), 3);
    good.run();
    needy.run();
    // Initiation is proportional to need (ratio 0.621 / 0.251 = 2.5) and needy candidates
    // accept more readily; staff time caps the needy world, so the ratio of partnerships
    // formed is below 2.3 and of those running lower still.
    const formedGood = good.s.history.n;
    const formedNeedy = needy.s.history.n;
    expect(formedNeedy).toBeGreaterThan(1.5 * formedGood);
    expect(needy.s.parts.count).toBeGreaterThan(1.3 * good.s.parts.count);
  });

  it('with need at the baseline everywhere, formation rounds create a small fraction of what full need creates', () => {
    const formed = (need: number): number => {
      // Without the LA's convening (which recruits beyond need, tested in formation.test.ts).
      const st = bareState(400, params((q) => {
        q.formation.behaviourConvening = 0;
        q.formation.networkConvening = 0;
      }), 'rounds');
      st.needAtt.fill(need);
      st.needBeh.fill(need);
      st.staffBudget.fill(1000); // staff time never binds here
      const r = stream('rounds');
      const a = stream('rounds-attributes');
      for (let k = 0; k < 6; k++) {
        st.step = k;
        formationStep(st, r, a);
      }
      return st.history.n;
    };
    const none = formed(0.15);
    const full = formed(0.95);
    // Initiation alone gives at most 0.15 / 0.95 = 16% as many attempts per school, less the
    // saturation of the most open schools at full need (a chance per step cannot pass 1; openness
    // is lognormal with log SD formation.opennessSd), so a little more than 16% overall;
    // candidates with baseline need refuse more often, so a small fraction succeeds.
    expect(none).toBeLessThan(0.25 * full);
    expect(full).toBeGreaterThan(100);
  });

  it('in England, higher performers and low-FSM schools partner less (NAO [14, 2.6])', () => {
    const p = params();
    // Three synthetic Englands pooled: with about 90% of schools partnering, one world's
    // quartiles of 825 schools are too few to separate a gap of a few points at 4 SEs.
    const runs = ['uneven', 'uneven-2', 'uneven-3'].map((seed) => model(world(3300, seed, p), p, 2, 4).run());
    // breakdown: group (0 FSM band, 1 start quartile) x band x (attainment, exclusion rate, partnering, count), summed over the final year.
    const cell = (g: number, b: number): { share: number; n: number } => {
      const base = (g * 4 + b) * 4;
      let partnering = 0;
      let count = 0;
      for (const m of runs) {
        partnering += m.breakdown[base + 2];
        count += m.breakdown[base + 3];
      }
      return { share: partnering / count, n: count / runs[0].s.spy };
    };
    // 4 binomial SEs of a difference between two quartiles of 3 x 825 schools.
    const apart = (a: { share: number; n: number }, b: { share: number; n: number }): number =>
      4 * Math.sqrt((a.share * (1 - a.share)) / a.n + (b.share * (1 - b.share)) / b.n);
    const top = cell(1, 3);
    const bottom = cell(1, 0);
    expect(top.share).toBeLessThan(bottom.share - apart(top, bottom));
    const lowFsm = cell(0, 0);
    const highFsm = cell(0, 3);
    expect(lowFsm.share).toBeLessThan(highFsm.share - apart(lowFsm, highFsm));
  });
});

describe('select (the top-quartile threshold without a sort)', () => {
  it('returns what sorting and indexing returns, for every k, with ties', () => {

    let x = 7;
    const rand = (): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x / 2 ** 32;
    };
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const data = Float32Array.from({ length: n }, () => Math.round(rand() * (n / 3)) / 7); // many ties
      const sorted = data.slice().sort();
      for (let k = 0; k < n; k += Math.max(1, Math.floor(n / 37))) expect(select(data.slice(), k)).toBe(sorted[k]);
    }
  });
});
