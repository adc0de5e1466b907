/**
 * Calibration targets: their kinds (no tautological target is fitted or a check),
 * validation of the targets file, the survey moments and their sampling covariance
 * (against hand-computed values), and the closed-form inputs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../sim/errors.js';
import { defaultParams } from '../../../sim/params.js';
import { protocolFixedFactor, protocolPermanentFactor } from '../../../sim/exclusions.js';
import type { State } from '../../../sim/state.js';
import type { SurveyAnswers } from '../../../sim/survey.js';
import { loadTargets, momentsInJ, samplingCovariance, surveyMoments, within, type Target } from '../../../analysis/calibration/targets.js';
import { protocolInputs } from '../../../analysis/calibration/inputs.js';

const targets = loadTargets();
const byId = new Map(targets.map((t) => [t.id, t]));

describe('target kinds', () => {
  it('every target has a kind, a value and a tolerance', () => {
    for (const t of targets) {
      expect(['fitted', 'input', 'check']).toContain(t.kind);
      expect(Number.isFinite(t.value)).toBe(true);
      expect(t.tolerance).toBeGreaterThanOrEqual(0);
    }
  });

  it('the tautological figures are inputs, never fitted or checks (issue 10, finding 6)', () => {
    // Funding shares measured from draws made with the same shares; the closed-form protocol
    // falls; a survey threshold used nowhere else; the behaviour grades set as cut points.
    for (const id of ['funding_continue', 'funding_seek', 'funding_end', 'protocol_days_fall', 'protocol_permanent_fall', 'not_an_issue', 'behaviour_inadequate', 'behaviour_satisfactory']) {
      expect(byId.get(id)?.kind, id).toBe('input');
    }
    expect(byId.get('funding_continue')!.setBy).toEqual(['funding.continueShare']);
    expect(byId.get('not_an_issue')!.setBy).toEqual(['need.notAnIssue']);
    expect(byId.get('protocol_permanent_fall')!.setBy).toEqual(['exclusions.permanentDiscretion']);
  });

  it('an input target is the report figure itself where a parameter holds the figure', () => {
    const p = defaultParams();
    expect(byId.get('funding_continue')!.value).toBe(p.funding.continueShare);
    expect(byId.get('funding_seek')!.value).toBe(p.funding.seekShare);
    expect(byId.get('funding_end')!.value).toBe(p.funding.endShare);
  });

  it('the behaviour-grade inputs set cut points before partnering, by bisection: partnering improves behaviour by 2009, so those shares exceed the survey-date figures', () => {
    const p = defaultParams();
    expect(byId.get('behaviour_inadequate')!.setBy).toEqual(['world.behaviourInadequate']);
    expect(byId.get('behaviour_satisfactory')!.setBy).toEqual(['world.behaviourSatisfactory']);
    expect(p.world.behaviourInadequate).toBeGreaterThan(byId.get('behaviour_inadequate')!.value);
    expect(p.world.behaviourSatisfactory).toBeGreaterThan(byId.get('behaviour_satisfactory')!.value);
  });

  it('"in neither" is an identity of the other shares and is left out of J; there are checks besides the fit', () => {
    const ids = momentsInJ(targets).map((t) => t.id);
    expect(ids).not.toContain('neither');
    expect(byId.get('neither')!.kind).toBe('fitted');
    expect(ids).toEqual(expect.arrayContaining(['attainment_partnering', 'behaviour_partnering', 'both']));
    expect(targets.filter((t) => t.kind === 'check').length).toBeGreaterThanOrEqual(1);
  });

  it('within honours bounds', () => {
    const eq = { value: 0.5, tolerance: 0.05, bound: 'equal' } as Target;
    expect(within(eq, 0.549)).toBe(true);
    expect(within(eq, 0.551)).toBe(false);
    expect(within({ value: 0.4, tolerance: 0.05, bound: 'atLeast' } as Target, 0.36)).toBe(true);
    expect(within({ value: 0.4, tolerance: 0.05, bound: 'atLeast' } as Target, 0.34)).toBe(false);
    expect(within({ value: 0, tolerance: 0, bound: 'atMost' } as Target, -1)).toBe(true);
    expect(within({ value: 0, tolerance: 0, bound: 'atMost' } as Target, 0.01)).toBe(false);
    expect(within(eq, NaN)).toBe(false);
  });
});

describe('the targets file is validated', () => {
  const dir = mkdtempSync(join(tmpdir(), 'targets-'));
  const write = (name: string, body: string): string => {
    const f = join(dir, name);
    writeFileSync(f, body);
    return f;
  };
  const base = 'version: 2\ntargets:\n  - id: a\n    description: A\n    value: 0.5\n    tolerance: 0.05\n    source: "1"\n    measure: m\n';

  it('rejects an unknown kind, naming the file and field', () => {
    const f = write('kind.yaml', base + '    kind: tuned\n');
    expect(() => loadTargets(f)).toThrow(InputError);
    expect(() => loadTargets(f)).toThrow(/kind\.yaml: targets\[0\]\.kind: expected one of fitted, input, check/);
  });

  it('rejects a fitted bound, an input without setBy and a dependent check', () => {
    expect(() => loadTargets(write('b.yaml', base + '    kind: fitted\n    bound: atLeast\n'))).toThrow(/targets\[0\]\.bound: a fitted target must be an equality/);
    expect(() => loadTargets(write('i.yaml', base + '    kind: input\n'))).toThrow(/targets\[0\]\.setBy/);
    expect(() => loadTargets(write('d.yaml', base + '    kind: check\n    dependent: "1 - b"\n'))).toThrow(/targets\[0\]\.dependent/);
  });
});

/** Four schools' answers: enough to compute every moment by hand. */
function answers(): SurveyAnswers {
  const n = 4;
  const f32 = (v: number[]) => Float32Array.from(v);
  return {
    n,
    inAttainment: Uint8Array.from([1, 1, 0, 1]),
    inBehaviour: Uint8Array.from([1, 0, 0, 1]),
    attainmentCount: Uint8Array.from([2, 4, 0, 3]),
    behaviourCount: Uint8Array.from([1, 0, 0, 1]),
    meAge: f32([6, 0.5, NaN, 2]),
    meSecondaries: f32([3, 12, NaN, 5]),
    meOrganisations: f32([5, 14, NaN, 6]),
    mePrimaries: f32([1, 0, NaN, 1]),
    meShares: f32([1, 0, NaN, 0]),
    meObjectives: f32([1, 1, NaN, 0]),
    meTrust: f32([0.5, 0.5, NaN, 0.5]),
    attainmentYears: f32([6, 0.5, 0, 2]),
    sharesAny: Uint8Array.from([1, 0, 0, 0]),
    notAnIssue: Uint8Array.from([0, 0, 1, 0]),
    fsm: f32([0.25, 0.125, 0.0625, 0.5]),
    attendance: f32([0.9, 0.9, 0.9, 0.9]),
    sen: f32([0.2, 0.2, 0.2, 0.2]),
    attainment: f32([98, 100, 106, 96]),
    cva: f32([1000, 1000, 1000, 1000]),
    trend: f32([0, 0, 0, 0]),
    exclusionRate: f32([1, 1, 1, 1]),
    ofstedProgress: Uint8Array.from([2, 2, 2, 2]),
    ofstedBehaviour: Uint8Array.from([4, 3, 2, 1]),
    la: Int32Array.from([0, 0, 0, 0]),
    fragileShare: 0.25,
    meanOrganisations: 8,
  };
}

describe('survey moments', () => {
  const m = surveyMoments(answers(), [7, 6, 2, 5]);

  it('are the shares, ratios and gaps computed by hand', () => {
    const v = m.values;
    expect(v.attainment_partnering).toBe(0.75);
    expect(v.behaviour_partnering).toBe(0.5);
    expect(v.both).toBe(0.5);
    expect(v.neither).toBe(0.25);
    expect(v.attainment_per_partnering_school).toBe(3); // (2 + 4 + 3) / 3
    expect(v.most_effective_small).toBeCloseTo(2 / 3, 12);
    expect(v.most_effective_large).toBeCloseTo(1 / 3, 12);
    expect(v.most_effective_old).toBeCloseTo(1 / 3, 12);
    expect(v.most_effective_new).toBeCloseTo(1 / 3, 12);
    expect(v.most_effective_primaries).toBeCloseTo(2 / 3, 12);
    expect(v.not_an_issue).toBe(1);
    expect(v.funding_continue).toBeCloseTo(7 / 20, 12);
    expect(v.funding_end).toBeCloseTo(2 / 20, 12);
    expect(v.behaviour_inadequate).toBe(0.25);
    expect(v.behaviour_satisfactory).toBe(0.25);
    // Partnering schools 0, 1, 3: FSM (0.25 + 0.125 + 0.5)/3 = 0.291667 vs 0.0625; attainment 98 vs 106.
    expect(v.partnering_fsm_gap).toBeCloseTo(0.875 / 3 - 0.0625, 6);
    expect(v.partnering_attainment_gap).toBeCloseTo(-8, 4);
    expect(v.fragile).toBe(0.25);
    expect(v.organisations_per_partnership).toBe(8);
  });

  it('have the sampling variance of a 398-school survey from 3,300 by the ratio linearisation', () => {
    // Share 0.75 of [1, 1, 0, 1]: z = y - 0.75, S² = (3 × 0.0625 + 0.5625)/3 = 0.25,
    // Var = (1 - 398/3300)/398 × 0.25 = 5.52383e-4.
    const c = samplingCovariance(m, ['attainment_partnering', 'behaviour_partnering', 'attainment_per_partnering_school', 'fragile']);
    expect(c[0][0]).toBeCloseTo(5.52383e-4, 8);
    // Behaviour share 0.5 of [1, 0, 0, 1]: z = ±0.5, S² = 1/3; covariance with the
    // attainment share: Σ z_a z_b /3 = (0.125 + 0.125 - 0.125 + 0.375 ... ) computed:
    // z_a = [.25, .25, -.75, .25], z_b = [.5, -.5, -.5, .5]: Σ = .125 - .125 + .375 + .125 = 0.5, /3.
    expect(c[1][1]).toBeCloseTo(((1 - 398 / 3300) / 398) * (1 / 3), 10);
    expect(c[0][1]).toBeCloseTo(((1 - 398 / 3300) / 398) * (0.5 / 3), 10);
    // Attainment partnerships per partnering school, R = 3, x̄ = 0.75:
    // z = (y - 3x)/0.75 = [-4/3, 4/3, 0, 0], S² = (16/9 × 2)/3 = 32/27.
    expect(c[2][2]).toBeCloseTo(((1 - 398 / 3300) / 398) * (32 / 27), 10);
    // Fragile share 0.25 over 398 × 0.75 answering schools (binomial, no covariance).
    expect(c[3][3]).toBeCloseTo(((1 - 398 / 3300) * 0.25 * 0.75) / (398 * 0.75), 12);
    expect(c[0][3]).toBe(0);
  });
});

describe('closed-form inputs', () => {
  it('costElasticity gives a 41% fall in fixed-term exclusions and permanentDiscretion 51 -> 38, through the engine\'s own factors', () => {
    const p = defaultParams();
    const x = protocolInputs(p);
    // -ln(0.59)/3.345 = 0.5276327/3.345 = 0.1577377
    expect(x.costElasticity).toBeCloseTo(0.1577377, 6);
    p.exclusions.costElasticity = x.costElasticity;
    p.exclusions.permanentDiscretion = x.permanentDiscretion;
    const s = { p } as unknown as State;
    expect(protocolFixedFactor(s)).toBeCloseTo(0.59, 12);
    expect(protocolPermanentFactor(s)).toBeCloseTo(38 / 51, 12);
  });
});
