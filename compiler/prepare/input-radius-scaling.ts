// The input scaling of TFLite's fixed-point softmax, logistic and tanh: a Q31 multiplier with the
// frexp exponent as left shift (not capped at 30: TFLite caps only in its single-rounding build),
// and CalculateInputRadius, the largest input difference that cannot overflow once rescaled.
import { frexp, roundHalfAwayFromZero } from './quantize-multiplier.ts';

export interface InputScaling {
  multiplier: number;
  shift: number;
}

/** QuantizeMultiplier without the single-rounding cap: multiplier in [2^30, 2^31), shift = exponent. */
export function frexpMultiplier(real: number): InputScaling {
  if (real === 0) return { multiplier: 0, shift: 0 };
  const { fraction, exponent } = frexp(real);
  let q = roundHalfAwayFromZero(fraction * 2 ** 31);
  let shift = exponent;
  if (q === 2 ** 31) {
    q /= 2;
    shift += 1;
  }
  return { multiplier: q, shift };
}

/** TFLite's CalculateInputRadius(integerBits, leftShift, totalSignedBits). */
export function calculateInputRadius(integerBits: number, leftShift: number, totalSignedBits = 31): number {
  return Math.floor(((2 ** integerBits - 1) * 2 ** (totalSignedBits - integerBits)) / 2 ** leftShift);
}
