/**
 * Attendance in the outcomes step (outcomes.ts; NAO [Figure 3, 3.9]: attendance predicted
 * all five outcomes among partnering schools): a school's attendance swings about its own
 * level (a mean-reverting process with a stated stationary SD), and attainment responds to
 * attendance averaged over the key stage, so a rise in attendance is followed by rising
 * attainment (a positive trend) rather than an instant jump.
 */
import { describe, expect, it } from 'vitest';
import { updateOutcomes } from '../../sim/outcomes.js';
import { bareState, params, stream } from './helpers.js';

describe('attendance swings', () => {
  it('are an AR(1) with the stated stationary SD and a one-year autocorrelation of exp(-reversion)', () => {
    const p = params();
    const e = p.effects;
    const s = bareState(2000, p);
    const st = stream('attendance-swings');
    const steps = 60; // 20 years of termly steps: stationary (rho^120 is negligible)
    const atYear: Float64Array[] = [];
    for (let k = 0; k < steps + 3; k++) {
      s.step = k;
      updateOutcomes(s, st);
      if (k === steps - 1 || k === steps + 2) atYear.push(Float64Array.from(s.attendanceShock));
    }
    const [x, y] = atYear;
    const n = x.length;
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += x[i] / n;
      my += y[i] / n;
    }
    let vx = 0;
    let vy = 0;
    let cxy = 0;
    for (let i = 0; i < n; i++) {
      vx += (x[i] - mx) ** 2;
      vy += (y[i] - my) ** 2;
      cxy += (x[i] - mx) * (y[i] - my);
    }
    const sd = Math.sqrt(vx / (n - 1));
    // SD of a sample SD is about sd / sqrt(2n): 1.6% here; allow 4 of them.
    expect(Math.abs(sd / e.attendanceShockSd - 1)).toBeLessThan(4 / Math.sqrt(2 * n));
    const rho = cxy / Math.sqrt(vx * vy);
    expect(Math.abs(rho - Math.exp(-e.attendanceReversion))).toBeLessThan(4 / Math.sqrt(n));
  });
});

describe('attainment follows attendance with a lag', () => {
  it('by hand: a rise of 2 points in attendance lifts attainment by slope x 0.02 x (1 - exp(-t / lag)), so the trend turns positive', () => {
    const p = params((q) => {
      q.effects.attendanceShockSd = 0;
      q.effects.qualityNoise = 0;
      q.effects.cohortNoise = 0;
    });
    const e = p.effects;
    const s = bareState(20, p);
    const st = stream('attendance-lag');
    for (let k = 0; k < 3; k++) {
      s.step = k;
      updateOutcomes(s, st);
    }
    const a0 = s.attainment[0];
    const att0 = s.attendance[0];
    expect(att0).toBeCloseTo(s.world.attendance[0], 6); // no swing, no behaviour gain
    (s.world.attendance as Float32Array)[0] = att0 + 0.02;
    for (let k = 1; k <= 9; k++) {
      s.step = 2 + k;
      updateOutcomes(s, st);
      // Attendance moves at once; attainment follows the key-stage average.
      expect(s.attendance[0]).toBeCloseTo(att0 + 0.02, 6);
      const lagged = 0.02 * (1 - Math.exp(-k / 3 / e.attendanceLagYears));
      expect(s.attainment[0] - a0).toBeCloseTo(e.attendanceSlope * lagged, 3);
      if (k >= 3) expect(s.trend[0]).toBeGreaterThan(0);
    }
    // Another school, untouched, does not move.
    expect(s.trend[1]).toBeCloseTo(0, 4);
  });
});
