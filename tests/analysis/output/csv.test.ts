import { describe, expect, it } from 'vitest';
import { fmtNum, toCsv } from '../../../analysis/output/csv.js';

describe('fmtNum: full precision', () => {
  it('round-trips every value exactly (shortest round-trip text)', () => {
    const xs = [0.1 + 0.2, 1 / 3, -2 / 3, 1e-20 / 7, 123456.78901234567, 1000.0000001234, 5e-324, 1.7976931348623157e308, -0.000123456789012345];
    for (const x of xs) expect(Number(fmtNum(x))).toBe(x);
    expect(fmtNum(0.1 + 0.2)).toBe('0.30000000000000004');
  });

  it('keeps values apart that 10 significant digits would tie', () => {
    const a = 1000.00000012;
    const b = 1000.00000013;
    expect(Number(a.toPrecision(10))).toBe(Number(b.toPrecision(10)));
    expect(fmtNum(a)).not.toBe(fmtNum(b));
  });

  it('writes integers plainly and non-finite values by name', () => {
    expect(fmtNum(42)).toBe('42');
    expect(fmtNum(-7)).toBe('-7');
    expect(fmtNum(NaN)).toBe('NaN');
    expect(fmtNum(Infinity)).toBe('Inf');
    expect(fmtNum(-Infinity)).toBe('-Inf');
  });

  it('toCsv writes numbers at full precision', () => {
    expect(toCsv(['x'], [[2 / 3]])).toBe('x\n0.6666666666666666\n');
  });
});
