// gemmlowp's fixed-point transcendentals on raw int32 values, exactly as TFLite's reference kernels
// use them: exp on negative values, 1/(1+x) and (1-x)/(1+x) by Newton-Raphson, logistic and tanh.
// A FixedPoint<int32, I> is represented by its raw value; I (integer bits) is passed where it matters.
import { roundingDivideByPOT, saturatingRoundingDoublingHighMul } from './fixedpoint';

const ONE_Q0: i32 = i32.MAX_VALUE;

/** SaturatingRoundingMultiplyByPOT with a positive exponent: a saturating left shift. */
// @ts-ignore: decorator
@inline
export function saturatingShiftLeft(x: i32, exponent: i32): i32 {
  const threshold: i32 = (1 << (31 - exponent)) - 1;
  if (x > threshold) return i32.MAX_VALUE;
  if (x < -threshold) return i32.MIN_VALUE;
  return x << exponent;
}

/** (a + b) / 2 rounded half away from zero, without overflow. */
// @ts-ignore: decorator
@inline
export function roundingHalfSum(a: i32, b: i32): i32 {
  const sum: i64 = <i64>a + <i64>b;
  const sign: i64 = sum >= 0 ? 1 : -1;
  return <i32>((sum + sign) / 2);
}

/** exp(a) for a in [-1/4, 0), Q0 in and out: Taylor series around -1/8. */
function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: i32): i32 {
  const constantTerm: i32 = 1895147668; // exp(-1/8)
  const constant1Over3: i32 = 715827883;
  const x: i32 = a + (1 << 28);
  const x2 = saturatingRoundingDoublingHighMul(x, x);
  const x3 = saturatingRoundingDoublingHighMul(x2, x);
  const x4 = saturatingRoundingDoublingHighMul(x2, x2);
  const x4Over4 = roundingDivideByPOT(x4, 2);
  const x4Over24PlusX3Over6PlusX2Over2 = roundingDivideByPOT(
    saturatingRoundingDoublingHighMul(x4Over4 + x3, constant1Over3) + x2, 1);
  return constantTerm + saturatingRoundingDoublingHighMul(constantTerm, x + x4Over24PlusX3Over6PlusX2Over2);
}

/** exp(a) for a <= 0 with `integerBits` integer bits in a; the result is Q0 (0 integer bits). */
export function expOnNegativeValues(a: i32, integerBits: i32): i32 {
  const fractionalBits = 31 - integerBits;
  const oneQuarter: i32 = 1 << (fractionalBits - 2);
  const mask: i32 = oneQuarter - 1;
  const aModQuarterMinusOneQuarter: i32 = (a & mask) - oneQuarter;
  // Rescale to Q0: the value is in [-1/4, 0), so the left shift cannot saturate.
  let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(aModQuarterMinusOneQuarter << integerBits);
  const remainder: i32 = aModQuarterMinusOneQuarter - a;
  // Barrel shifter: multiply by exp(-2^k) for each set bit k of the remainder.
  if (integerBits > -2 && (remainder & (1 << (fractionalBits - 2))) != 0) result = saturatingRoundingDoublingHighMul(result, 1672461947);
  if (integerBits > -1 && (remainder & (1 << (fractionalBits - 1))) != 0) result = saturatingRoundingDoublingHighMul(result, 1302514674);
  if (integerBits > 0 && (remainder & (1 << fractionalBits)) != 0) result = saturatingRoundingDoublingHighMul(result, 790015084);
  if (integerBits > 1 && (remainder & (1 << (fractionalBits + 1))) != 0) result = saturatingRoundingDoublingHighMul(result, 290630308);
  if (integerBits > 2 && (remainder & (1 << (fractionalBits + 2))) != 0) result = saturatingRoundingDoublingHighMul(result, 39332535);
  if (integerBits > 3 && (remainder & (1 << (fractionalBits + 3))) != 0) result = saturatingRoundingDoublingHighMul(result, 720401);
  if (integerBits > 4 && (remainder & (1 << (fractionalBits + 4))) != 0) result = saturatingRoundingDoublingHighMul(result, 242);
  if (integerBits > 5) {
    const clamp: i32 = -(1 << (36 - integerBits));
    if (a < clamp) result = 0;
  }
  if (a == 0) result = ONE_Q0;
  return result;
}

/** Newton-Raphson for 1/(1+a) with a in [0, 1): returns the Q2 estimate of 1/(half denominator). */
// @ts-ignore: decorator
@inline
function newtonRaphsonHalfDenominatorInverse(a: i32): i32 {
  const halfDenominator = roundingHalfSum(a, ONE_Q0);
  const constant48Over17: i32 = 1515870810;
  const constantNeg32Over17: i32 = -1010580540;
  let x: i32 = constant48Over17 + saturatingRoundingDoublingHighMul(halfDenominator, constantNeg32Over17);
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = saturatingRoundingDoublingHighMul(halfDenominator, x);
    const oneMinusHalfDenominatorTimesX: i32 = (1 << 29) - halfDenominatorTimesX;
    x = x + saturatingShiftLeft(saturatingRoundingDoublingHighMul(x, oneMinusHalfDenominatorTimesX), 2);
  }
  return x;
}

/** 1/(1+a) for a in [0, 1), Q0 in and out. */
export function oneOverOnePlusXForXIn01(a: i32): i32 {
  return saturatingShiftLeft(newtonRaphsonHalfDenominatorInverse(a), 1);
}

/** (1-a)/(1+a) for a in [0, 1), Q0 in and out. */
export function oneMinusXOverOnePlusXForXIn01(a: i32): i32 {
  return saturatingShiftLeft(newtonRaphsonHalfDenominatorInverse(a) - (1 << 29), 2);
}

/** logistic(a), a with `integerBits` integer bits; result Q0. */
export function logisticFixed(a: i32, integerBits: i32): i32 {
  if (a == 0) return 1 << 30;
  const absA: i32 = a > 0 ? a : -a;
  const positive = oneOverOnePlusXForXIn01(expOnNegativeValues(-absA, integerBits));
  return a > 0 ? positive : ONE_Q0 - positive;
}

/** tanh(a), a with `integerBits` integer bits; result Q0. */
export function tanhFixed(a: i32, integerBits: i32): i32 {
  if (a == 0) return 0;
  const negAbs: i32 = a < 0 ? a : -a;
  // exp(2·negAbs): doubling is exact as one more integer bit on the same raw value.
  const t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(negAbs, integerBits + 1));
  return a < 0 ? -t : t;
}
