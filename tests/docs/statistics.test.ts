/** README's statistics text and the code agree: family sizes, defaults, minimum replications. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_REPS, PER_PARTNERSHIP, RESAMPLES, PERMUTATIONS, FAMILY_TEST } from '../../analysis/compare.js';
import { SIGN_FLIP_EXACT_MAX } from '../../analysis/stats/paired.js';
import { METRICS } from '../../sim/metrics.js';
import { builtinNames } from '../../scenarios/loader.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README statistics text', () => {
  it('states the family sizes the code produces', () => {
    const family = (scenarios: number): number => scenarios * METRICS.length - PER_PARTNERSHIP.length; // no-partnering lacks the per-partnership measures
    expect(readme).toContain(`each of the ${METRICS.length} outcomes`);
    expect(readme).toContain(`two scenarios plus \`no-partnering\` make ${family(3)} tests`);
    expect(readme).toContain(`\`--scenarios all\` ${family(builtinNames().length - 1)})`);
  });
  it('states the resamples, permutation settings, family test and minimum replications', () => {
    expect(readme).toContain(`${RESAMPLES.toLocaleString('en-GB')} seeded resamples`);
    expect(readme).toContain(`exact for up to ${SIGN_FLIP_EXACT_MAX} replications, ${PERMUTATIONS.toLocaleString('en-GB')} random sign vectors beyond`);
    expect(readme).toContain(`The ${FAMILY_TEST.replace('Wilcoxon signed-rank', 'Wilcoxon')} p-values of the family are adjusted together, Holm by default`);
    expect(readme).toContain(`need at least ${MIN_REPS.tests} replications (the BCa interval ${MIN_REPS.bca})`);
  });
});
