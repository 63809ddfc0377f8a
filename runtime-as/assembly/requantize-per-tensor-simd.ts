// TFLite's MultiplyByQuantizedMultiplier (double rounding) on four int32 lanes sharing one multiplier
// and one shift (per-tensor requantization, as ADD and MUL use), bit-exact with the scalar form:
//   SaturatingRoundingDoublingHighMul(x, m) = floor((x·m + 2^30) / 2^31): C's sign-dependent nudge and
//     truncation give the same integer for both signs (m is never INT32_MIN, so no saturation case);
//   RoundingDivideByPOT(t, e) = (t >> e) + (remainder > (mask >> 1) + (t < 0)), lane by lane.

// Kernels split the shift once: left = max(shift, 0), right = max(-shift, 0), mask = 2^right - 1
// (splat), halfMask = mask >> 1 (splat). No allocation: the runtime has no heap to free.

// @ts-ignore: decorator
@inline
export function multiplyByQuantizedMultiplierX4(x: v128, multiplier: v128, leftShift: i32, rightShift: i32, mask: v128, halfMask: v128): v128 {
  const shifted = i32x4.shl(x, leftShift);
  const nudge = i64x2.splat(0x40000000);
  const lo = i64x2.shr_s(i64x2.add(i64x2.extmul_low_i32x4_s(shifted, multiplier), nudge), 31);
  const hi = i64x2.shr_s(i64x2.add(i64x2.extmul_high_i32x4_s(shifted, multiplier), nudge), 31);
  const t = i32x4.shuffle(lo, hi, 0, 2, 4, 6);
  // threshold = (mask >> 1) + 1 on negative lanes: t >> 31 is -1 there.
  const threshold = i32x4.sub(halfMask, i32x4.shr_s(t, 31));
  const roundUp = i32x4.gt_s(v128.and(t, mask), threshold);
  return i32x4.sub(i32x4.shr_s(t, rightShift), roundUp);
}
