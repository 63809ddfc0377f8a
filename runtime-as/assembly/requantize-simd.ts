// TFLite's MultiplyByQuantizedMultiplier (double rounding) on four int32 lanes at once, bit-exact,
// with integer SIMD only. WASM SIMD has no per-lane shifts, so per-channel powers of two become
// per-lane multipliers (made once per channel block by `requantFactors*`):
//   x << left                       = x · 2^left (wrapping, as C's int32 shift does in practice);
//   SaturatingRoundingDoublingHighMul(x, m) = floor((x·m + 2^30) / 2^31) — the C nudge-and-truncate
//     gives the same for both signs; the saturating case needs m = INT32_MIN, which QuantizeMultiplier never
//     makes — taken as the high half of 2·x·m + 2^31 + 2^63, i.e. the result with its sign bit flipped (u);
//   floor(t / 2^e)                  = floor(u · 2^(31-e) / 2^31) - 2^(31-e), an unsigned 32×32 product and
//     a logical 64-bit shift;
//   RoundingDivideByPOT(t, e)       = floor(t / 2^e) + ((t & mask) > (mask >> 1) + [t < 0]), mask = 2^e - 1.

/** 2^n per lane for n in [0, 31], as uint32: float32 bits (n + 127) << 23, converted exactly. */
// @ts-ignore: decorator
@inline
function pow2(n: v128): v128 {
  return i32x4.trunc_sat_f32x4_u(i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23));
}

/** 2^max(shift, 0) (left <= 30). */
// @ts-ignore: decorator
@inline
export function requantFactorLeft(shift: v128): v128 {
  return pow2(i32x4.max_s(shift, i32x4.splat(0)));
}

/** 2^(31 - right), right = max(-shift, 0) in [0, 31]. */
// @ts-ignore: decorator
@inline
export function requantFactorPow(shift: v128): v128 {
  const right = i32x4.max_s(i32x4.neg(shift), i32x4.splat(0));
  return pow2(i32x4.sub(i32x4.splat(31), right));
}

/** 2^right - 1. */
// @ts-ignore: decorator
@inline
export function requantFactorMask(shift: v128): v128 {
  const right = i32x4.max_s(i32x4.neg(shift), i32x4.splat(0));
  return i32x4.sub(pow2(right), i32x4.splat(1));
}

/** (mask >> 1) + 1: the rounding threshold for a negative value. */
// @ts-ignore: decorator
@inline
export function requantFactorThreshold(mask: v128): v128 {
  return i32x4.add(i32x4.shr_u(mask, 1), i32x4.splat(1));
}

// @ts-ignore: decorator
@inline
export function requantizeX4Int(acc: v128, multiplier: v128, left: v128, pow: v128, mask: v128, threshold: v128): v128 {
  const x = i32x4.mul(acc, left);
  const round = i64x2.splat(0x8000000080000000);
  const pLo = i64x2.extmul_low_i32x4_s(x, multiplier);
  const pHi = i64x2.extmul_high_i32x4_s(x, multiplier);
  const u = i32x4.shuffle(i64x2.add(i64x2.add(pLo, pLo), round), i64x2.add(i64x2.add(pHi, pHi), round), 1, 3, 5, 7);
  const fLo = i64x2.shr_u(i64x2.extmul_low_i32x4_u(u, pow), 31);
  const fHi = i64x2.shr_u(i64x2.extmul_high_i32x4_u(u, pow), 31);
  const floored = i32x4.sub(i32x4.shuffle(fLo, fHi, 0, 2, 4, 6), pow);
  // t < 0 exactly when u's top bit is clear: the threshold is then one higher.
  const thr = i32x4.sub(threshold, i32x4.shr_u(u, 31));
  return i32x4.sub(floored, i32x4.gt_s(v128.and(u, mask), thr));
}

// @ts-ignore: decorator
@inline
export function requantizeX4(acc: v128, multiplier: v128, shift: v128): v128 {
  const mask = requantFactorMask(shift);
  return requantizeX4Int(acc, multiplier, requantFactorLeft(shift), requantFactorPow(shift), mask, requantFactorThreshold(mask));
}

// The same requantization through float64 (t·2^-e rounded half away from zero is exact in a double):
// the first formulation, kept for kernels that use it (add, mul); the integer one above is cheaper.

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

/** Add the output offset, clamp, and store four int8 values at `out`. */
// @ts-ignore: decorator
@inline
export function clampStoreX4(out: usize, r: v128, outOffset: v128, actMin: v128, actMax: v128): void {
  const c = i32x4.min_s(i32x4.max_s(i32x4.add(r, outOffset), actMin), actMax);
  const n = i16x8.narrow_i32x4_s(c, c);
  v128.store32_lane(out, i8x16.narrow_i16x8_s(n, n), 0);
}

/**
 * Two requantized vectors (rows a and b) at once: the output offset added in 32 bits (wrapping, as the
 * reference's int32 addition), then narrowed with saturation to 16 bits, clamped there — exact, as
 * [act_min, act_max] lies inside int16 — and stored as four int8 values at `outA` and four at `outB`.
 */
// @ts-ignore: decorator
@inline
export function clampStoreX4Pair(outA: usize, outB: usize, ra: v128, rb: v128, outOffset: v128, actMin16: v128, actMax16: v128): void {
  const n = i16x8.narrow_i32x4_s(i32x4.add(ra, outOffset), i32x4.add(rb, outOffset));
  const c = i16x8.min_s(i16x8.max_s(n, actMin16), actMax16);
  const bytes = i8x16.narrow_i16x8_s(c, c);
  v128.store32_lane(outA, bytes, 0);
  v128.store32_lane(outB, bytes, 1);
}

/** Requantize, add the output offset, clamp, and store four int8 values at `out`. */
// @ts-ignore: decorator
@inline
export function requantizeStoreX4(out: usize, acc: v128, multiplier: v128, shift: v128, outOffset: v128, actMin: v128, actMax: v128): void {
  clampStoreX4(out, requantizeX4(acc, multiplier, shift), outOffset, actMin, actMax);
}
