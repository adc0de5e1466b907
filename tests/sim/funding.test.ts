/**
 * Mechanism 6, funding ends (funding.ts; NAO [2.19]): when dedicated funding stops,
 * 35% continue, about a third continue only if other funding is found, 8% end, and
 * the unsure rest carry on only where trust is high. Shares checked within binomial
 * tolerance over many grant-funded partnerships.
 */
import { describe, expect, it } from 'vitest';
import { CONTINUED, ENDED, FOUND_OTHER, UNSURE_CONTINUED, fundingEnds, fundingStep, withdrawFunding } from '../../sim/funding.js';
import { ATTAINMENT, END_REASONS, OWN_BUDGET, R_POLICY, type State } from '../../sim/state.js';
import { endPartnership } from '../../sim/partnership.js';
import { bareState, binomTol, partnership, stream } from './helpers.js';

/**
 * N grant-funded partnerships reach the end of their funding one after another; returns
 * the outcome shares. Also checks each outcome did what it says (counted, asserted once).
 */
function endMany(s: State, N: number, trust: number): number[] {
  const r = stream(`funding-${trust}`);
  s.fundingOutcomes.fill(0);
  const wrong: string[] = [];
  for (let k = 0; k < N; k++) {
    const p = partnership(s, [0, 1], ATTAINMENT);
    s.parts.funding[p] = 2; // grant to the partnership
    s.parts.funded[p] = 1;
    s.parts.uid[p] = k; // each partnership its own draws
    s.parts.fundingEnd[p] = s.step;
    s.parts.trust[p] = trust;
    const outcome = fundingEnds(s, p, r);
    const h = s.parts.hist[p];
    const P = s.parts;
    if (outcome === ENDED) {
      if (P.alive[p] || END_REASONS[s.history.reasonOf(h)] !== 'funding' || s.history.end[h] !== s.step) wrong.push(`ended ${k}`);
    } else {
      if (!P.alive[p]) wrong.push(`alive ${k}`);
      if (outcome === FOUND_OTHER && (P.funding[p] !== 2 || P.fundingEnd[p] <= s.step)) wrong.push(`found other ${k}`);
      if ((outcome === CONTINUED || outcome === UNSURE_CONTINUED) && (P.funding[p] !== OWN_BUDGET || P.funded[p] !== 0)) wrong.push(`continued ${k}`);
      endPartnership(s, p, R_POLICY);
    }
  }
  expect(wrong.slice(0, 5)).toEqual([]);
  expect(s.fundingOutcomes.reduce((a, b) => a + b, 0)).toBe(N);
  return Array.from(s.fundingOutcomes, (x) => x / N);
}

describe('when dedicated funding ends', () => {
  const N = 20000;

  it('35% continue, 33% x 50% find other funding, the rest of the seekers and 8% end; unsure 24% continue if trust is high', () => {
    const s = bareState(20);
    s.step = 5;
    const f = s.p.funding;
    const shares = endMany(s, N, 0.8);
    const unsure = 1 - f.continueShare - f.seekShare - f.endShare; // 0.24
    const want = [];
    want[CONTINUED] = f.continueShare; // 0.35
    want[FOUND_OTHER] = f.seekShare * f.findFunding; // 0.165
    want[ENDED] = f.seekShare * (1 - f.findFunding) + f.endShare; // 0.245
    want[UNSURE_CONTINUED] = unsure; // 0.24
    expect(want[CONTINUED] + want[FOUND_OTHER] + want[ENDED] + want[UNSURE_CONTINUED]).toBeCloseTo(1, 12);
    for (let k = 0; k < 4; k++) expect(Math.abs(shares[k] - want[k]), `outcome ${k}: ${shares[k]} vs ${want[k]}`).toBeLessThan(binomTol(want[k], N));
    // The survey's three figures [2.19]: 35% continue, about a third seek, 8% plan to end.
    expect(shares[CONTINUED]).toBeCloseTo(0.35, 1);
  });

  it('with low trust the unsure end too', () => {
    const s = bareState(20);
    const f = s.p.funding;
    const shares = endMany(s, N, 0.3);
    const wantEnded = f.seekShare * (1 - f.findFunding) + f.endShare + (1 - f.continueShare - f.seekShare - f.endShare); // 0.485
    expect(Math.abs(shares[ENDED] - wantEnded)).toBeLessThan(binomTol(wantEnded, N));
    expect(shares[UNSURE_CONTINUED]).toBe(0);
    expect(Math.abs(shares[CONTINUED] - 0.35)).toBeLessThan(binomTol(0.35, N));
  });

  it('when funding is withdrawn nobody finds other funding', () => {
    const s = bareState(20);
    s.lev.fundingWithdrawn = true;
    const shares = endMany(s, 5000, 0.8);
    expect(shares[FOUND_OTHER]).toBe(0);
    expect(Math.abs(shares[ENDED] - 0.41)).toBeLessThan(binomTol(0.41, 5000)); // 0.33 + 0.08
  });
});

describe('fundingStep and withdrawal', () => {
  it('resolves exactly the grants that are due, and pays a term of grant for the rest', () => {
    const s = bareState(40);
    s.step = 3;
    const due: number[] = [];
    const later: number[] = [];
    const own: number[] = [];
    for (let k = 0; k < 10; k++) {
      const p = partnership(s, [2 * k, 2 * k + 1], ATTAINMENT);
      s.parts.trust[p] = 0.9;
      s.parts.funding[p] = k < 8 ? 1 : OWN_BUDGET;
      s.parts.funded[p] = k < 8 ? 1 : 0;
      s.parts.uid[p] = k;
      s.parts.fundingEnd[p] = k < 4 ? 3 - (k % 2) : k < 8 ? 10 : 0;
      (k < 4 ? due : k < 8 ? later : own).push(p);
    }
    fundingStep(s, stream('step'));
    expect(s.fundingOutcomes.reduce((a, b) => a + b, 0)).toBe(due.length);
    // Each due grant was resolved: ended, renewed beyond now, or carried on from the school's budget.
    for (const p of due) expect(!s.parts.alive[p] || s.parts.funded[p] === 0 || s.parts.fundingEnd[p] > s.step).toBe(true);
    for (const p of later) expect(s.parts.fundingEnd[p]).toBe(10);
    for (const p of own) expect(s.parts.funded[p]).toBe(0);
    // Four grants still running: 15,000 a year each, a third of it this term.
    expect(s.grantCostStep).toBeCloseTo((4 * 15000) / 3, 6);
  });

  it('withdrawFunding brings forward the end of the given share of running grants', () => {
    const s = bareState(2000);
    s.step = 1;
    const N = 900;
    for (let k = 0; k < N; k++) {
      const p = partnership(s, [2 * k, 2 * k + 1], ATTAINMENT);
      s.parts.funding[p] = 1;
      s.parts.funded[p] = 1;
      s.parts.uid[p] = k;
      s.parts.fundingEnd[p] = 20;
    }
    withdrawFunding(s, 0.5, stream('withdraw'));
    let now = 0;
    for (let p = 0; p < N; p++) if (s.parts.fundingEnd[p] === 1) now++;
    expect(Math.abs(now / N - 0.5)).toBeLessThan(binomTol(0.5, N));
  });
});
