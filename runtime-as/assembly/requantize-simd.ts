// TFLite's MultiplyByQuantizedMultiplier (double rounding) on four int32 lanes at once, bit-exact.
// WASM SIMD has no per-lane shifts, so the per-channel powers of two go through exact float bit patterns:
//   SaturatingRoundingDoublingHighMul(x, m) = floor((x·m + 2^30) / 2^31) in 64 bits (the C nudge-and-truncate
//     gives the same for both signs; the saturating case needs m = INT32_MIN, which QuantizeMultiplier never makes);
//   RoundingDivideByPOT(t, e) = t / 2^e rounded half away from zero, computed in float64, where
//     t·2^-e ± 0.5 is exact (at most 33 significant bits) and truncation finishes the rounding.
// The per-channel factors (2^left as int32, 2^-right as float64) depend only on the shifts: kernels that
// loop over pixels inside a channel block compute them once per block.

/** 2^max(shift, 0) per lane: float32 bits (left + 127) << 23, converted exactly (left <= 30). */
// @ts-ignore: decorator
@inline
export function leftShiftFactors(shift: v128): v128 {
  const left = i32x4.max_s(shift, i32x4.splat(0));
  return i32x4.trunc_sat_f32x4_s(i32x4.shl(i32x4.add(left, i32x4.splat(127)), 23));
}

/** 2^-max(-shift, 0) for lanes 0, 1 as float64: bits (1023 - right) << 52. */
// @ts-ignore: decorator
@inline
export function rightShiftFactorsLow(shift: v128): v128 {
  const right = i32x4.max_s(i32x4.neg(shift), i32x4.splat(0));
  return i64x2.shl(i64x2.sub(i64x2.splat(1023), i64x2.extend_low_i32x4_u(right)), 52);
}

/** As rightShiftFactorsLow, for lanes 2, 3. */
// @ts-ignore: decorator
@inline
export function rightShiftFactorsHigh(shift: v128): v128 {
  const right = i32x4.max_s(i32x4.neg(shift), i32x4.splat(0));
  return i64x2.shl(i64x2.sub(i64x2.splat(1023), i64x2.extend_high_i32x4_u(right)), 52);
}

// @ts-ignore: decorator
@inline
export function requantizeX4With(acc: v128, multiplier: v128, leftPow: v128, scaleLo: v128, scaleHi: v128): v128 {
  const x = i32x4.mul(acc, leftPow);
  // (x·m + 2^30) >> 31 is the high half of 2·x·m + 2^31: 64-bit adds only (no 64-bit arithmetic shift in SSE).
  const round = i64x2.splat(0x80000000);
  const pLo = i64x2.extmul_low_i32x4_s(x, multiplier);
  const pHi = i64x2.extmul_high_i32x4_s(x, multiplier);
  const qLo = i64x2.add(i64x2.add(pLo, pLo), round);
  const qHi = i64x2.add(i64x2.add(pHi, pHi), round);
  const t = i32x4.shuffle(qLo, qHi, 1, 3, 5, 7);
  const tHi = i32x4.shuffle(qHi, qHi, 1, 3, 1, 3);
  const vLo = f64x2.mul(f64x2.convert_low_i32x4_s(t), scaleLo);
  const vHi = f64x2.mul(f64x2.convert_low_i32x4_s(tHi), scaleHi);
  const sign = i64x2.splat(0x8000000000000000);
  const half = f64x2.splat(0.5);
  // Integer-valued doubles |r| < 2^31 plus 1.5·2^52 hold r in their low 32 bits.
  const magic = f64x2.splat(6755399441055744.0);
  const rLo = f64x2.add(f64x2.trunc(f64x2.add(vLo, v128.or(v128.and(vLo, sign), half))), magic);
  const rHi = f64x2.add(f64x2.trunc(f64x2.add(vHi, v128.or(v128.and(vHi, sign), half))), magic);
  return i32x4.shuffle(rLo, rHi, 0, 2, 4, 6);
}

// @ts-ignore: decorator
@inline
export function requantizeX4(acc: v128, multiplier: v128, shift: v128): v128 {
  return requantizeX4With(acc, multiplier, leftShiftFactors(shift), rightShiftFactorsLow(shift), rightShiftFactorsHigh(shift));
}

/** Add the output offset, clamp, and store four int8 values at `out`. */
// @ts-ignore: decorator
@inline
export function clampStoreX4(out: usize, r: v128, outOffset: v128, actMin: v128, actMax: v128): void {
  const c = i32x4.min_s(i32x4.max_s(i32x4.add(r, outOffset), actMin), actMax);
  const n = i16x8.narrow_i32x4_s(c, c);
  v128.store32_lane(out, i8x16.narrow_i16x8_s(n, n), 0);
}

/** Requantize, add the output offset, clamp, and store four int8 values at `out`. */
// @ts-ignore: decorator
@inline
export function requantizeStoreX4(out: usize, acc: v128, multiplier: v128, shift: v128, outOffset: v128, actMin: v128, actMax: v128): void {
  clampStoreX4(out, requantizeX4(acc, multiplier, shift), outOffset, actMin, actMax);
}
