/**
 * Mechanism 3, partner choice is local (formation.ts; NAO [2.12]; Tomasello et al.):
 * the candidate pool, the acceptance utility, partnership sizes, the attributes drawn
 * at formation against the survey shares, and the partnerships running in 2007.
 */
import { describe, expect, it } from 'vitest';
import { acceptUtility, drawCandidate, initiate, setup, targetSize } from '../../sim/formation.js';
import { endPartnership } from '../../sim/partnership.js';
import { ATTAINMENT, BEHAVIOUR, R_POLICY } from '../../sim/state.js';
import { LA_NEIGHBOURS } from '../../sim/world.js';
import { bareState, binomTol, membersOf, params, partnership, stream } from './helpers.js';

describe('candidates are local', () => {
  it('85% from the own LA, the rest from grid-neighbouring LAs', () => {
    const s = bareState(600);
    const w = s.world;
    // A school in an LA with four neighbours, so every cross-border draw leaves the LA.
    let i = 0;
    while (w.laNeighbours[w.la[i] * LA_NEIGHBOURS + 3] < 0) i++;
    const la = w.la[i];
    const nbs = new Set(Array.from(w.laNeighbours.subarray(la * LA_NEIGHBOURS, (la + 1) * LA_NEIGHBOURS)));
    const r = stream('candidates');
    const N = 20000;
    let own = 0;
    for (let k = 0; k < N; k++) {
      const j = drawCandidate(s, i, r, k, 0);
      if (w.la[j] === la) own++;
      else expect(nbs.has(w.la[j])).toBe(true);
    }
    expect(Math.abs(own / N - 0.85)).toBeLessThan(binomTol(0.85, N));
  });
});

describe('acceptance and sizes', () => {
  it('acceptUtility = willingness + trust + complementarity - coordination +- LA support - threshold', () => {
    const s = bareState(60);
    const i = 0;
    const j = 1;
    s.needAtt[j] = 0.5;
    s.home[i] = 0.7;
    s.home[j] = -0.3; // initiator one SD stronger: +0.3
    s.trust.set(i, j, 0, 0.65); // 0.2 above strangers
    s.nSlots[j] = 2;
    const f = s.p.formation; // weights: trust 0.6, complementarity 0.3; coordination cost and threshold calibrated
    const la = s.world.laSupported[s.world.la[j]] ? 0.05 : -0.05;
    expect(acceptUtility(s, i, j, false)).toBeCloseTo(0.5 + f.trustWeight * 0.2 + f.complementarityWeight * 1 - f.coordinationCost * 2 + la - f.acceptThreshold, 5);
    expect(f.trustWeight * 0.2 + f.complementarityWeight).toBeCloseTo(0.42, 10);
    // A stranger of equal strength with baseline need and no partnerships, in an LA that does not support partnering, refuses.
    s.needAtt[2] = 0.15;
    s.home[2] = s.home[i];
    s.world.laSupported[s.world.la[2]] = 0;
    expect(acceptUtility(s, i, 2, false)).toBeLessThan(0);
  });

  it('initiate opens nothing when everyone refuses, and a full partnership when everyone accepts', () => {
    const refuse = bareState(300, params((p) => (p.formation.acceptThreshold = 2)));
    refuse.needAtt.fill(0.2);
    const r = stream('initiate');
    const a = stream('attributes');
    for (let i = 0; i < 50; i++) expect(initiate(refuse, i, ATTAINMENT, r, a)).toBe(-1);
    expect(refuse.history.n).toBe(0);
    expect(refuse.parts.count).toBe(0);

    const accept = bareState(300, params((p) => (p.formation.acceptThreshold = -2)));
    accept.needAtt.fill(0.5);
    for (let i = 0; i < 50; i += 5) {
      const p = initiate(accept, i, ATTAINMENT, r, a);
      expect(p).toBeGreaterThanOrEqual(0);
      const mem = membersOf(accept, p);
      expect(mem).toContain(i);
      expect(new Set(mem).size).toBe(mem.length);
      expect(mem.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('LA-convened behaviour partnerships recruit beyond need: schools that refuse an attainment invitation accept a behaviour one (NAO [2.3, 2.9])', () => {
    // Every candidate's utility without the convening term is about -0.4: refused for attainment,
    // accepted for behaviour while formation.behaviourConvening exceeds 0.4.
    const mk = () => {
      const s = bareState(300, params((p) => {
        p.formation.largeShare = 0;
        p.formation.acceptThreshold = 0.4;
        p.formation.complementarityWeight = 0;
        p.formation.coordinationCost = 0;
      }));
      s.needAtt.fill(0);
      s.needBeh.fill(0);
      s.openness.fill(1);
      s.world.laSupported.fill(1); // +0.05
      return s;
    };
    const att = mk();
    const beh = mk();
    expect(beh.p.formation.behaviourConvening).toBeGreaterThan(0.4);
    const r = stream('convening');
    const a = stream('attributes');
    let attMade = 0;
    let behMade = 0;
    for (let i = 0; i < 60; i += 3) {
      if (initiate(att, i, ATTAINMENT, r, a) >= 0) attMade++;
      if (initiate(beh, i, BEHAVIOUR, r, a) >= 0) behMade++;
    }
    expect(attMade).toBe(0);
    expect(behMade).toBeGreaterThan(15);
  });

  it('target sizes: a share of large networks (10+), otherwise 2 + geometric; behaviour 3 + geometric', () => {
    const s = bareState(20);
    const r = stream('sizes');
    const N = 40000;
    let large = 0;
    let behSum = 0;
    for (let k = 0; k < N; k++) {
      if (targetSize(s, r, 0, k, 0, ATTAINMENT) >= 10) large++;
      behSum += targetSize(s, r, 1, k, 0, BEHAVIOUR);
    }
    // P(10+) = L + (1 - L) P(floor(Exp, mean m) >= 8) = L + (1 - L) e^(-8/m); with L = 0.12, m = 1.6: 0.1259.
    const L = s.p.formation.largeShare;
    const pLarge = L + (1 - L) * Math.exp(-8 / s.p.formation.smallMeanExtra);
    expect(Math.abs(large / N - pLarge)).toBeLessThan(binomTol(pLarge, N));
    // E[3 + floor(Exp mean 3)] = 3 + 1 / (e^(1/3) - 1) = 5.5277; SD about 3, SE 0.015.
    expect(behSum / N).toBeCloseTo(5.5277, 1);
    expect(Math.abs(behSum / N - 5.5277)).toBeLessThan(4 * (3.1 / Math.sqrt(N)));
  });
});

describe('attributes drawn at formation match the survey', () => {
  /** Set up N two-school partnerships coordinated from `coord` and tally their attributes. */
  function tally(edit: Parameters<typeof params>[0], N: number, opts: { keyPerson: boolean; levers?: (s: ReturnType<typeof bareState>) => void }) {
    const s = bareState(60, params(edit));
    opts.levers?.(s);
    // Two schools with feeder primaries, the coordinator with or without a key person.
    let a = 0;
    while (s.feeders[a] === 0) a++;
    let b = a + 1;
    while (s.feeders[b] === 0) b++;
    s.world.keyPerson[a] = opts.keyPerson ? 1 : 0;
    const r = stream('attributes');
    const funding = [0, 0, 0, 0, 0];
    const t = { shares: 0, written: 0, clear: 0, governance: 0, primaries: 0, primaryCount: 0, others: 0, fragile: 0, keyed: 0, grantSteps: 0, grants: 0 };
    for (let k = 0; k < N; k++) {
      s.step = k; // a partnership's draws are keyed by (coordinator, step made, how made)
      const p = partnership(s, [a, b], ATTAINMENT);
      setup(s, p, a, r, {});
      const P = s.parts;
      funding[P.funding[p]]++;
      t.shares += P.shares[p];
      t.written += P.objectives[p] === 1 ? 1 : 0;
      t.clear += P.objectives[p] === 2 ? 1 : 0;
      t.governance += P.governance[p];
      if (P.primaries[p] > 0) {
        t.primaries++;
        t.primaryCount = P.primaries[p];
      }
      t.others += P.others[p] > 0 ? 1 : 0;
      t.fragile += P.fragile[p];
      t.keyed += P.keySchool[p] === a ? 1 : 0;
      if (P.funded[p]) {
        t.grants++;
        t.grantSteps += P.fundingEnd[p] - s.step;
        expect(P.funding[p] >= 1 && P.funding[p] <= 3).toBe(true);
      }
      endPartnership(s, p, R_POLICY);
    }
    return { s, funding: funding.map((x) => x / N), t, feeders: s.feeders[a] };
  }

  it('funding sources [Figure 14], sharing, objectives [3.17], governance [2.16], primaries, others [2.8]', () => {
    const N = 20000;
    const { s, funding, t, feeders } = tally(undefined, N, { keyPerson: false });
    // Figure 14 shares sum to 0.97; each source is drawn in proportion.
    const fig14 = [0.37, 0.19, 0.18, 0.16, 0.07].map((x) => x / 0.97);
    fig14.forEach((q, k) => expect(Math.abs(funding[k] - q), `funding source ${k}`).toBeLessThan(binomTol(q, N)));
    expect(Math.abs(t.shares / N - s.p.formation.shareResources)).toBeLessThan(binomTol(s.p.formation.shareResources, N));
    expect(Math.abs(t.written / N - 0.69)).toBeLessThan(binomTol(0.69, N));
    expect(t.clear).toBe(0);
    expect(Math.abs(t.governance / N - 0.34)).toBeLessThan(binomTol(0.34, N));
    const ps = s.p.formation.primaryShare; // fitted (NAO [2.9] member count)
    expect(Math.abs(t.primaries / N - ps)).toBeLessThan(binomTol(ps, N));
    expect(t.primaryCount).toBe(feeders); // the coordinator's feeder primaries come along
    expect(Math.abs(t.others / N - 0.4)).toBeLessThan(binomTol(0.4, N));
    // Grants (sources 1-3) end after max(1, round(Exp(mean 3 years) x 3)) steps: mean 9 steps, SD 9.
    expect(t.grants / N).toBeCloseTo(fig14[1] + fig14[2] + fig14[3], 1);
    expect(Math.abs(t.grantSteps / t.grants - 9)).toBeLessThan((4 * 9) / Math.sqrt(t.grants));
    // Without a key person at the coordinating school nothing is fragile.
    expect(t.fragile).toBe(0);
    expect(t.keyed).toBe(0);
  });

  it('a key-person coordinator makes 66% fragile, less with written governance; governor oversight halves that [2.16, 2.20, 20b]', () => {
    const N = 10000;
    const plain = tally(undefined, N, { keyPerson: true });
    expect(plain.t.keyed).toBe(N);
    // fragileShare 0.6617 x (1 - 34% written governance x 50% succession) = 0.6617 x 0.83 = 0.5492.
    const q = 0.6617 * (1 - 0.34 * 0.5);
    expect(Math.abs(plain.t.fragile / N - q)).toBeLessThan(binomTol(q, N));
    const overseen = tally(undefined, N, { keyPerson: true, levers: (s) => (s.lev.governorOversight = true) });
    expect(Math.abs(overseen.t.fragile / N - q / 2)).toBeLessThan(binomTol(q / 2, N));
  });

  it('clear objectives and withdrawn funding change what new partnerships get', () => {
    const N = 2000;
    const clear = tally(undefined, N, { keyPerson: false, levers: (s) => (s.lev.clearObjectives = true) });
    expect(clear.t.clear).toBe(N);
    const withdrawn = tally(undefined, N, { keyPerson: false, levers: (s) => (s.lev.fundingWithdrawn = true) });
    expect(withdrawn.funding[0]).toBe(1);
    expect(withdrawn.t.grants).toBe(0);
  });
});
