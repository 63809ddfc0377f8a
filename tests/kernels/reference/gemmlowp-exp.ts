// gemmlowp's fixed-point exp, 1/(1+x), (1-x)/(1+x), logistic and tanh in plain TypeScript, written
// from gemmlowp's FixedPoint<int32, IntegerBits> semantics (raw int32 values, wrapping add/sub).
import { roundingDivideByPOT, saturatingRoundingDoublingHighMul as mul } from './fixed-point.ts';

const wrap = (x: number) => x | 0;
const ONE = 0x7fffffff;

/** SaturatingRoundingMultiplyByPOT<exponent> for exponent > 0. */
export function saturatingRoundingMultiplyByPOT(x: number, exponent: number): number {
  const threshold = 2 ** (31 - exponent) - 1;
  if (x > threshold) return 0x7fffffff;
  if (x < -threshold) return -0x80000000;
  return wrap(x * 2 ** exponent);
}

export function roundingHalfSum(a: number, b: number): number {
  const sum = a + b; // exact in a double
  const sign = sum >= 0 ? 1 : -1;
  return Math.trunc((sum + sign) / 2);
}

function expOnQuarterInterval(a: number): number {
  const constantTerm = 1895147668;
  const oneThird = 715827883;
  const x = wrap(a + 2 ** 28);
  const x2 = mul(x, x);
  const x3 = mul(x2, x);
  const x4 = mul(x2, x2);
  const x4Over4 = roundingDivideByPOT(x4, 2);
  const poly = roundingDivideByPOT(wrap(mul(wrap(x4Over4 + x3), oneThird) + x2), 1);
  return wrap(constantTerm + mul(constantTerm, wrap(x + poly)));
}

const BARREL: [number, number][] = [
  [-2, 1672461947], [-1, 1302514674], [0, 790015084], [1, 290630308], [2, 39332535], [3, 720401], [4, 242],
];

export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const quarter = 2 ** (fractionalBits - 2);
  const aModQuarterMinusQuarter = wrap((a & (quarter - 1)) - quarter);
  let result = expOnQuarterInterval(saturatingRoundingMultiplyByPOT(aModQuarterMinusQuarter, integerBits));
  const remainder = wrap(aModQuarterMinusQuarter - a);
  for (const [exponent, multiplier] of BARREL) {
    if (integerBits > exponent && (remainder & (2 ** (fractionalBits + exponent))) !== 0) result = mul(result, multiplier);
  }
  if (integerBits > 5 && a < -(2 ** (36 - integerBits))) result = 0;
  return a === 0 ? ONE : result;
}

function halfDenominatorNewton(a: number): number {
  const halfDenominator = roundingHalfSum(a, ONE);
  let x = wrap(1515870810 + mul(halfDenominator, -1010580540));
  for (let i = 0; i < 3; i++) {
    const oneMinus = wrap(2 ** 29 - mul(halfDenominator, x));
    x = wrap(x + saturatingRoundingMultiplyByPOT(mul(x, oneMinus), 2));
  }
  return x;
}

export function oneOverOnePlusX(a: number): number {
  return saturatingRoundingMultiplyByPOT(halfDenominatorNewton(a), 1);
}

export function oneMinusXOverOnePlusX(a: number): number {
  return saturatingRoundingMultiplyByPOT(wrap(halfDenominatorNewton(a) - 2 ** 29), 2);
}

export function logistic(a: number, integerBits: number): number {
  if (a === 0) return 2 ** 30;
  const positive = oneOverOnePlusX(expOnNegativeValues(wrap(-Math.abs(a)), integerBits));
  return a > 0 ? positive : wrap(ONE - positive);
}

export function tanh(a: number, integerBits: number): number {
  if (a === 0) return 0;
  const t = oneMinusXOverOnePlusX(expOnNegativeValues(wrap(-Math.abs(a)), integerBits + 1));
  return a < 0 ? wrap(-t) : t;
}
