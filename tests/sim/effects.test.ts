/**
 * Mechanism 4, effects on outcomes (effects.ts; NAO [Figure 3, 3.9]): gains arrive
 * after a lag, ramp up with age, scale with trust, sharing and objectives, go mostly
 * to the weaker partner, and are diluted when a school is short of staff time.
 */
import { describe, expect, it } from 'vitest';
import { memberGains, ramp } from '../../sim/effects.js';
import { gatherMembers } from '../../sim/partnership.js';
import { ATTAINMENT, BEHAVIOUR, type State } from '../../sim/state.js';
import { bareState, model, params, partnership, world } from './helpers.js';

describe('ramp', () => {
  it('is 0 up to the lag, then 1 - exp(-(age - lag) / rampYears), rising to 1', () => {
    const s = bareState(4);
    expect(ramp(s, 0)).toBe(0);
    expect(ramp(s, 0.5)).toBe(0);
    expect(ramp(s, 1)).toBe(0); // lag 1 year
    expect(ramp(s, 4)).toBeCloseTo(1 - Math.exp(-1), 12); // one ramp time (3 years) after the lag
    expect(ramp(s, 2.5)).toBeCloseTo(1 - Math.exp(-0.5), 12);
    let prev = 0;
    for (let a = 1.1; a < 30; a += 0.5) {
      expect(ramp(s, a)).toBeGreaterThan(prev);
      prev = ramp(s, a);
    }
    expect(prev).toBeGreaterThan(0.99);
    expect(prev).toBeLessThanOrEqual(1);
  });
});

describe('member gains', () => {
  /** A two-school partnership: school 0 of quality 0, school 1 of quality 1. */
  function setupPair(focus: number): { s: State; p: number } {
    const s = bareState(10);
    s.home.fill(0);
    s.home[1] = 1;
    s.staffUsed.fill(0);
    const p = partnership(s, [0, 1], focus);
    return { s, p };
  }
  function gains(s: State, p: number, r: number, trust: number): void {
    s.gainAtt.fill(0);
    s.gainBeh.fill(0);
    const count = gatherMembers(s, p, s.scratch, s.scratchM);
    let sumQ = 0;
    for (let k = 0; k < count; k++) sumQ += s.home[s.scratch[k]] + s.shock[s.scratch[k]];
    memberGains(s, p, count, r, trust, sumQ);
  }

  it('by hand: the weaker partner gains (base 0.3 + gap) x rate x dt x trust, the stronger the base share', () => {
    const { s, p } = setupPair(ATTAINMENT);
    gains(s, p, 1, 0.8);
    // Calibrated rates are read from the parameters (defaults 0.25 points and 0.01 log-rate a year).
    const e = s.p.effects;
    // rate x 1/3 year x (base 0.3 + quality gap 1) x trust 0.8
    expect(s.gainAtt[0]).toBeCloseTo((e.attainmentPerYear / 3) * 1.3 * 0.8, 6);
    expect(s.gainAtt[1]).toBeCloseTo((e.attainmentPerYear / 3) * 0.3 * 0.8, 6);
    // Attainment partnerships also improve behaviour a little.
    expect(s.gainBeh[0]).toBeCloseTo((e.attainmentOnBehaviour / 3) * 0.8, 7);
    expect(s.parts.benefit[p]).toBeCloseTo((e.attainmentPerYear / 3) * 1.6 * 0.8, 6);
    expect(s.parts.reviewBenefit[p]).toBeCloseTo(s.parts.benefit[p], 6);
  });

  it('grows in proportion to trust and to the ramp, and is zero before the lag', () => {
    const { s, p } = setupPair(ATTAINMENT);
    gains(s, p, 1, 0.8);
    const high = s.gainAtt[0];
    gains(s, p, 1, 0.2);
    expect(s.gainAtt[0]).toBeCloseTo(high / 4, 7);
    gains(s, p, 0.5, 0.8);
    expect(s.gainAtt[0]).toBeCloseTo(high / 2, 7);
    gains(s, p, ramp(s, 0.9), 0.8);
    expect(s.gainAtt[0]).toBe(0);
    expect(s.gainAtt[1]).toBe(0);
  });

  it('sharing (x sharingMultiplier), clear objectives (x1.15), administrative (x0.2), a running grant (x1.25) and another organisation (x1.1) scale it', () => {
    const { s, p } = setupPair(ATTAINMENT);
    gains(s, p, 1, 0.5);
    const plain = s.gainAtt[0];
    const m = s.p.effects.sharingMultiplier;
    expect(m).toBeGreaterThan(1);
    s.parts.shares[p] = 1;
    gains(s, p, 1, 0.5);
    // Sharing also raises the partner-independent share: (sharedBaseGain + gap) / (baseGain + gap).
    const e = s.p.effects;
    const base = (e.sharedBaseGain + 1) / (e.baseGain + 1);
    expect(s.gainAtt[0]).toBeCloseTo(plain * m * base, 7);
    s.parts.objectives[p] = 2;
    gains(s, p, 1, 0.5);
    expect(s.gainAtt[0]).toBeCloseTo(plain * m * base * 1.15, 7);
    s.parts.administrative[p] = 1;
    gains(s, p, 1, 0.5);
    expect(s.gainAtt[0]).toBeCloseTo(plain * m * base * 1.15 * 0.2, 7);
    s.parts.funded[p] = 1;
    s.parts.others[p] = 2;
    gains(s, p, 1, 0.5);
    expect(s.gainAtt[0]).toBeCloseTo(plain * m * base * 1.15 * 0.2 * 1.25 * 1.1, 7);
    // Imposed forms act through trust and costs, not a multiplier here.
    s.lev.imposedForms = true;
    gains(s, p, 1, 0.5);
    expect(s.gainAtt[0]).toBeCloseTo(plain * m * base * 1.15 * 0.2 * 1.25 * 1.1, 7);
  });

  it('behaviour partnerships: a flat attainment gain, behaviour gain x (0.5 + complementarity)', () => {
    const { s, p } = setupPair(BEHAVIOUR);
    const e = s.p.effects;
    gains(s, p, 1, 1);
    expect(s.gainAtt[0]).toBeCloseTo(e.behaviourOnAttainment / 3, 7);
    expect(s.gainAtt[1]).toBeCloseTo(e.behaviourOnAttainment / 3, 7); // no complementarity in it
    expect(s.gainBeh[0]).toBeCloseTo((e.behaviourPerYear / 3) * (0.5 + 1.3), 7);
    expect(s.gainBeh[1]).toBeCloseTo((e.behaviourPerYear / 3) * (0.5 + 0.3), 7);
  });

  it('sharing resources serves every member: the stronger school gets sharedBaseGain, not baseGain (NAO [2.15])', () => {
    const { s, p } = setupPair(ATTAINMENT);
    const e = s.p.effects;
    expect(e.sharedBaseGain).toBeGreaterThan(e.baseGain);
    s.parts.shares[p] = 1;
    gains(s, p, 1, 1);
    const m = e.sharingMultiplier;
    // The stronger school (quality 1 against 0) gets no gap term, only the shared base share.
    expect(s.gainAtt[1]).toBeCloseTo((e.attainmentPerYear / 3) * e.sharedBaseGain * m, 6);
    expect(s.gainAtt[0]).toBeCloseTo((e.attainmentPerYear / 3) * (e.sharedBaseGain + 1) * m, 6);
    // Behaviour: the attainment focus's small spill-over, scaled by sharing like every effect.
    for (const i of [0, 1]) expect(s.gainBeh[i]).toBeCloseTo((e.attainmentOnBehaviour / 3) * m, 7);
    // Without sharing the stronger school's gain is the plain base share.
    s.parts.shares[p] = 0;
    gains(s, p, 1, 1);
    expect(s.gainAtt[1]).toBeCloseTo((e.attainmentPerYear / 3) * e.baseGain, 6);
  });

  it('a school over its staff-time budget delivers budget / used of each effect', () => {
    const { s, p } = setupPair(ATTAINMENT);
    gains(s, p, 1, 1);
    const full = s.gainAtt[0];
    s.staffUsed[0] = 2 * s.world.staffDays[0]; // budget is staffDays x 3 / spy = staffDays a term
    gains(s, p, 1, 1);
    expect(s.gainAtt[0]).toBeCloseTo(full / 2, 7);
  });
});

describe('effects in a run arrive with the lag', () => {
  it('with no partnerships before 2007, no school improves until partnerships are a year old', () => {
    const p = params((q) => (q.spinup.years = 0));
    const m = model(world(300, 'lag', p), p, 3, 'lag');
    const stock: number[] = [];
    m.run(() => stock.push(m.s.improveAtt.reduce((a, b) => a + Math.abs(b), 0)));
    // Partnerships first form at the end of step 0, so the oldest is 1 year old at step 3: ramp 0.
    expect(stock.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(stock[4]).toBeGreaterThan(0);
    expect(stock[8]).toBeGreaterThan(stock[5]);
  });
});
