// TFLite's fixed-point primitives (gemmlowp semantics), shared by every kernel.
// Double rounding, as TFLite Micro's default build: SaturatingRoundingDoublingHighMul, then RoundingDivideByPOT.

// @ts-ignore: decorator
@inline
export function saturatingRoundingDoublingHighMul(a: i32, b: i32): i32 {
  if (a == b && a == i32.MIN_VALUE) return i32.MAX_VALUE;
  const ab: i64 = <i64>a * <i64>b;
  const nudge: i64 = ab >= 0 ? 0x40000000 : 1 - 0x40000000;
  // i64 division truncates toward zero, as C's does.
  return <i32>((ab + nudge) / 0x80000000);
}

// @ts-ignore: decorator
@inline
export function roundingDivideByPOT(x: i32, exponent: i32): i32 {
  const mask: i32 = (1 << exponent) - 1;
  const remainder: i32 = x & mask;
  const threshold: i32 = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/** x × (multiplier × 2^shift) with multiplier in Q31; shift > 0 shifts left before the multiply. */
// @ts-ignore: decorator
@inline
export function multiplyByQuantizedMultiplier(x: i32, multiplier: i32, shift: i32): i32 {
  const left: i32 = shift > 0 ? shift : 0;
  const right: i32 = shift > 0 ? 0 : -shift;
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x * (1 << left), multiplier), right);
}
