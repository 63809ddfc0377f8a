import { describe, expect, it } from 'vitest';
import { frexp, quantizeMultiplier, roundHalfAwayFromZero } from '../../compiler/prepare/quantize-multiplier.ts';

describe('quantizeMultiplier (TFLite QuantizeMultiplier, hand-computed)', () => {
  const cases: [string, number, number, number][] = [
    ['one half', 0.5, 2 ** 30, 0],
    ['one', 1.0, 2 ** 30, 1],
    ['three quarters', 0.75, 1610612736, 0],
    ['a typical conv scale (checked with Python math.frexp)', 0.0787253976 * 0.00133184495 / 0.0828150064, 1392064370, -9],
    ['a rounding tie goes away from zero', 0.5 + 2 ** -32, 2 ** 30 + 1, 0],
    ['just below 1.0 rounds up to 2^31 and renormalizes', 0.9999999999, 2 ** 30, 1],
    ['2^-31', 2 ** -31, 2 ** 30, -30],
    ['2^-32 is the smallest kept (shift -31)', 2 ** -32, 2 ** 30, -31],
    ['below 2^-32 flushes to zero', 2 ** -33, 0, 0],
    ['2^29 (shift 30)', 2 ** 29, 2 ** 30, 30],
    ['2^30 is not capped in the double-rounding build (shift 31)', 2 ** 30, 2 ** 30, 31],
    ['2^31 (shift 32)', 2 ** 31, 2 ** 30, 32],
    ['zero', 0, 0, 0],
  ];
  for (const [what, real, multiplier, shift] of cases) {
    it(`${what}: ${real}`, () => {
      expect(quantizeMultiplier(real)).toEqual({ multiplier, shift });
    });
  }

  it('reconstructs the real multiplier to within Q31 precision over many scales', () => {
    for (let e = -31; e <= 29; e++) {
      for (const f of [0.5, 0.61803, 0.70710678, 0.9, 0.99999]) {
        const real = f * 2 ** e;
        const { multiplier, shift } = quantizeMultiplier(real);
        expect(multiplier).toBeGreaterThanOrEqual(2 ** 30);
        expect(multiplier).toBeLessThan(2 ** 31);
        expect(Math.abs((multiplier / 2 ** 31) * 2 ** shift - real) / real).toBeLessThan(2 ** -30);
      }
    }
  });

  it('rejects a non-finite multiplier', () => {
    expect(() => quantizeMultiplier(Infinity)).toThrow(/not a finite multiplier/);
  });
});

describe('frexp and rounding', () => {
  it('splits exactly, including subnormals', () => {
    expect(frexp(8)).toEqual({ fraction: 0.5, exponent: 4 });
    expect(frexp(-3)).toEqual({ fraction: -0.75, exponent: 2 });
    expect(frexp(2 ** -1074)).toEqual({ fraction: 0.5, exponent: -1073 });
  });
  it('rounds halves away from zero like std::round', () => {
    expect([2.5, -2.5, 0.5, -0.5, 1.4999, -1.5].map(roundHalfAwayFromZero)).toEqual([3, -3, 1, -1, 1, -2]);
  });
});
