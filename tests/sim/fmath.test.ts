/**
 * Portable elementary functions (sim/fmath.ts). Reference values are the correctly
 * rounded results, computed once to 250 bits with mpmath and recorded here; the
 * functions must be within the stated ulps of them. The bits must not depend on the
 * engine: they use only exactly rounded operations, which the workshop browser test
 * holds end to end (the page's numbers equal compare --json bit for bit).
 */
import { describe, expect, it } from 'vitest';
import { cos2pi, exp, log, log1p, log2, pow, pow2, sin2pi } from '../../sim/fmath.js';

/** Distance in units in the last place of `ref`. */
function ulps(got: number, ref: number): number {
  if (got === ref) return 0;
  const a = Math.abs(ref);
  const e = a < 2.2250738585072014e-308 ? -1074 : Math.floor(Math.log2(a)) - 52;
  return Math.abs(got - ref) / 2 ** e;
}

const EXP: [number, number][] = [
  [1, 2.718281828459045], [-1, 0.36787944117144233], [0.5, 1.6487212707001282], [1e-10, 1.0000000001],
  [-0.9824338566335068, 0.37439875614986656], [10, 22026.465794806718], [-20.5, 1.2501528663867426e-9],
  [700, 1.0142320547350045e304], [-700, 9.85967654375977e-305], [-740, 4.2e-322], [0.34657359027997264, 1.414213562373095],
];
const LOG: [number, number][] = [
  [2, 0.6931471805599453], [10, 2.302585092994046], [0.1, -2.3025850929940455], [1.0000001, 9.999999505838704e-8],
  [0.999999, -1.000000500029089e-6], [2.6206378137769986, 0.9634177285191062], [1e-300, -690.7755278982137],
  [5e-324, -744.4400719213812], [1e300, 690.7755278982137], [1.4142135623730951, 0.3465735902799727], [123456.789, 11.723646487185881],
];
const LOG1P: [number, number][] = [
  [1e-10, 9.999999999500001e-11], [-1e-10, -1.00000000005e-10], [1.1378123142194751e-7, 1.137812249488637e-7],
  [0.5, 0.4054651081081644], [-0.5, -0.6931471805599453], [3, 1.3862943611198906], [-0.999, -6.907755278982136],
];
const COS: [number, number][] = [
  [0.1, 0.8090169943749475], [0.2, 0.30901699437494734], [0.3, -0.30901699437494734], [0.4, -0.8090169943749475],
  [-0.28989797224362324, -0.2480689168638944], [0.123, 0.7159364830218312], [0.0625, 0.9238795325112867],
];
const SIN: [number, number][] = [
  [0.1, 0.5877852522924731], [0.2, 0.9510565162951536], [0.3, 0.9510565162951536], [0.4, 0.587785252292473],
  [-0.6305470043446717, 0.731317057581026], [0.123, 0.6981654189934726], [2.75, -1], [0.0625, 0.3826834323650898],
];
const POW: [number, number, number][] = [
  [0.5, 1 / 3, 0.7937005259840998], [0.9, 0.25, 0.9740037464252967], [7, 0.5, 2.6457513110645907], [0.25, 2, 0.0625], [3, -1.5, 0.19245008972987526],
];

describe('portable exp, log, log1p, cos, sin, pow against correctly rounded reference values', () => {
  it('exp within 1 ulp', () => {
    for (const [x, r] of EXP) expect(ulps(exp(x), r), `exp(${x})`).toBeLessThanOrEqual(1);
  });
  it('log within 1 ulp, subnormals included', () => {
    for (const [x, r] of LOG) expect(ulps(log(x), r), `log(${x})`).toBeLessThanOrEqual(1);
  });
  it('log1p within 3 ulps, tiny arguments included', () => {
    for (const [x, r] of LOG1P) expect(ulps(log1p(x), r), `log1p(${x})`).toBeLessThanOrEqual(3);
  });
  it('cos and sin of 2 pi u within 2 ulps, exact at quarter turns', () => {
    for (const [u, r] of COS) expect(ulps(cos2pi(u), r), `cos2pi(${u})`).toBeLessThanOrEqual(2);
    for (const [u, r] of SIN) expect(ulps(sin2pi(u), r), `sin2pi(${u})`).toBeLessThanOrEqual(2);
    expect([cos2pi(0), cos2pi(0.25), cos2pi(0.5), cos2pi(2.75), sin2pi(0.25), sin2pi(0.5) + 0, sin2pi(-0.25)]).toEqual([1, 0, -1, 0, 1, 0, -1]);
  });
  it('cos2pi at and beside the quarter-turn boundaries it reduces by (1/8, 3/8 and their mirrors)', () => {
    // cos(pi/4) = sqrt(1/2) = 0.70710678118654752..., nearest double 0.7071067811865476
    const h = 0.7071067811865476;
    for (const u of [0.125, 0.875, -0.125, 1.125]) expect(ulps(cos2pi(u), h), `cos2pi(${u})`).toBeLessThanOrEqual(1);
    for (const u of [0.375, 0.625, -0.375, 2.625]) expect(ulps(cos2pi(u), -h), `cos2pi(${u})`).toBeLessThanOrEqual(1);
    // either side of a boundary: within 2 ulps of cos(2 pi u) computed in two parts (2 pi u = hi + lo)
    for (const b of [0.125, 0.375]) {
      for (const d of [-(2 ** -30), -(2 ** -45), 2 ** -45, 2 ** -30]) {
        const u = b + d;
        const ref = Math.cos(2 * Math.PI * b) - Math.sin(2 * Math.PI * b) * (2 * Math.PI * d);
        expect(Math.abs(cos2pi(u) - ref), `cos2pi(${u})`).toBeLessThan(4e-16 + 2 * (2 * Math.PI * d) ** 2);
      }
    }
  });
  it('pow within 4 ulps at moderate arguments, exact for powers of two', () => {
    for (const [b, e, r] of POW) expect(ulps(pow(b, e), r), `pow(${b}, ${e})`).toBeLessThanOrEqual(4);
    for (let k = -1074; k <= 1023; k += 37) expect(pow(2, k)).toBe(2 ** k);
    expect([pow2(0), pow2(10), pow2(-1), pow2(1024), pow2(-1075)]).toEqual([1, 1024, 0.5, Infinity, 0]);
    expect([pow(0, 2), pow(0, -1), pow(1, 1e9), pow(5, 0), pow(-1, 0.5)]).toEqual([0, Infinity, 1, 1, NaN]);
  });
  it('special values', () => {
    expect([exp(0), exp(-Infinity), exp(Infinity), exp(710), exp(-746), exp(NaN)]).toEqual([1, 0, Infinity, Infinity, 0, NaN]);
    expect([log(1), log(0), log(-1), log(Infinity), log(NaN)]).toEqual([0, -Infinity, NaN, Infinity, NaN]);
    expect([log1p(0), log1p(-1), log1p(-2)]).toEqual([0, -Infinity, NaN]);
    expect([log2(8), log2(0.125), log2(1024)]).toEqual([3, -3, 10]);
  });
  it('stays within 2 ulps of the engine over many arguments (the engine itself is within 1 ulp)', () => {
    let s = 7;
    const rnd = (): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 4294967296;
    };
    let worst = 0;
    for (let i = 0; i < 20000; i++) {
      const x = (rnd() - 0.5) * 60;
      const y = rnd() * 1000 + 1e-9;
      worst = Math.max(worst, ulps(exp(x), Math.exp(x)), ulps(log(y), Math.log(y)));
    }
    expect(worst).toBeLessThanOrEqual(2);
  });
});

describe('the engine and the statistics use only portable functions', () => {
  it('no Math.exp, log, pow, sin, cos ... (implementation-approximated) in sim/ or analysis/stats/', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = join(__dirname, '..', '..');
    const offenders: string[] = [];
    for (const dir of ['sim', join('analysis', 'stats')]) {
      for (const f of readdirSync(join(root, dir)).filter((n) => n.endsWith('.ts') && n !== 'fmath.ts')) {
        readFileSync(join(root, dir, f), 'utf8')
          .split('\n')
          .forEach((line, i) => {
            const code = line.replace(/\/\/.*$/, '');
            if (/^\s*\*/.test(code)) return;
            if (/\bMath\.(exp|expm1|log|log1p|log2|log10|pow|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|cbrt|hypot)\s*\(/.test(code) || /\*\*\s*(?!2\b)[\w(.]/.test(code.replace(/\/\*\*/g, '')))
              offenders.push(`${dir}/${f}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(offenders).toEqual([]);
  });
});
