// TFLite's MultiplyByQuantizedMultiplier on four lanes in one 64-bit rounding, bit-exact, for accumulators
// whose bound the kernel knows (|acc| < 2^accBits from the row length, the widest product and the bias).
// With X = acc·2^left·m, e = max(-shift, 0), and t = floor((X + 2^30) / 2^31) the doubling high product:
//   RoundingDivideByPOT(t, e) = floor((t + 2^(e-1) - [t < 0]) / 2^e)                      (e >= 1)
//                             = floor((X + 2^30 + 2^(30+e) - [t < 0]·2^31) / 2^(31+e))    (nested floors)
// and t < 0 exactly when acc < 0, given m > 2^30 (m = 2^30 with acc = -1 gives t = 0: such blocks keep the
// general form). Scaling numerator and denominator by 2^(E-e+1), E = the block's largest e, gives every lane
// the same denominator 2^(32+E): the high words of one 64-bit sum, then one arithmetic shift by E —
// 10 operations per four lanes against the general form's 19, no per-lane shifts needed.
import {
  requantFactorLeft, requantFactorMask, requantFactorPow, requantFactorThreshold, requantizeX4Int,
} from './requantize-simd';

/** E: the largest right shift max(-shift, 0) of the block's four lanes. */
// @ts-ignore: decorator
@inline
export function boundedRight(shift: v128): i32 {
  const r = i32x4.max_s(i32x4.neg(shift), i32x4.splat(0));
  return max(max(i32x4.extract_lane(r, 0), i32x4.extract_lane(r, 1)), max(i32x4.extract_lane(r, 2), i32x4.extract_lane(r, 3)));
}

/**
 * Whether the block can take the bounded form: |acc|·2^(shift+E+1) stays below 2^31 on every lane, and every
 * lane that divides (shift < 0) has m > 2^30.
 */
// @ts-ignore: decorator
@inline
export function boundedApplies(accBits: i32, multiplier: v128, shift: v128, right: i32): bool {
  const pairs = i32x4.max_s(shift, i32x4.shuffle(shift, shift, 1, 0, 3, 2));
  const widest = i32x4.max_s(pairs, i32x4.shuffle(pairs, pairs, 2, 3, 0, 1));
  if (accBits + i32x4.extract_lane(widest, 0) + right + 1 > 31) return false;
  return i32x4.all_true(v128.or(i32x4.gt_s(multiplier, i32x4.splat(0x40000000)), i32x4.ge_s(shift, i32x4.splat(0))));
}

/** 2^(shift + E + 1) per lane: acc's pre-scale (2^left times the lane's share of the common denominator). */
// @ts-ignore: decorator
@inline
export function boundedPre(shift: v128, right: i32): v128 {
  // Float32 bits (n + 127) << 23 converted exactly: 2^n for n in [1, 31] (n <= 30 when the block applies).
  const n = i32x4.add(shift, i32x4.splat(right + 1));
  return i32x4.trunc_sat_f32x4_u(i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23));
}

/**
 * The rounding terms (2^30 + [e >= 1]·2^(30+e))·2^(E-e+1) = (2^(E+min(shift, 0)) + [shift < 0]·2^E)·2^31 of
 * lanes 0, 1 (high = false) or 2, 3, as i64 lanes.
 */
// @ts-ignore: decorator
@inline
export function boundedRound(shift: v128, right: i32, high: bool): v128 {
  const bias = i32x4.splat(127);
  const low = i32x4.trunc_sat_f32x4_u(i32x4.shl(i32x4.add(i32x4.add(i32x4.min_s(shift, i32x4.splat(0)), i32x4.splat(right)), bias), 23));
  const top = v128.and(i32x4.splat(<i32>(<u32>1 << <u32>right)), i32x4.lt_s(shift, i32x4.splat(0)));
  const sum = high
    ? i64x2.add(i64x2.extend_high_i32x4_u(low), i64x2.extend_high_i32x4_u(top))
    : i64x2.add(i64x2.extend_low_i32x4_u(low), i64x2.extend_low_i32x4_u(top));
  return i64x2.shl(sum, 31);
}

/** [t < 0]'s weight per lane after the scaling: 2^(E-e) where the lane divides, else 0. */
// @ts-ignore: decorator
@inline
export function boundedSignStep(shift: v128, right: i32): v128 {
  const step = i32x4.trunc_sat_f32x4_u(i32x4.shl(i32x4.add(i32x4.add(shift, i32x4.splat(right)), i32x4.splat(127)), 23));
  return v128.and(step, i32x4.lt_s(shift, i32x4.splat(0)));
}

/** The requantized lanes (before the output offset), from the block's factors above. */
// @ts-ignore: decorator
@inline
export function requantizeX4Bounded(acc: v128, multiplier: v128, pre: v128, roundLo: v128, roundHi: v128, signStep: v128, right: i32): v128 {
  const x = i32x4.mul(acc, pre);
  const lo = i64x2.add(i64x2.extmul_low_i32x4_s(x, multiplier), roundLo);
  const hi = i64x2.add(i64x2.extmul_high_i32x4_s(x, multiplier), roundHi);
  const h = i32x4.shuffle(lo, hi, 1, 3, 5, 7);
  return i32x4.shr_s(i32x4.sub(h, v128.and(i32x4.shr_s(acc, 31), signStep)), right);
}

/** Bits of a bound: the least b with bound < 2^b (32 when the bound does not fit 31 bits). */
// @ts-ignore: decorator
@inline
export function boundBits(bound: u64): i32 {
  return bound >= 0x80000000 ? 32 : 32 - <i32>clz(<u32>bound);
}

/** The largest |v| of n int32 values (as uint32: |INT32_MIN| = 2^31). */
export function maxAbsInt32(p: usize, n: i32): u32 {
  let most: u32 = 0;
  for (let i = 0; i < n; i++) {
    const v = load<i32>(p + (<usize>i << 2));
    const a = <u32>(v < 0 ? -v : v);
    if (a > most) most = a;
  }
  return most;
}

// A channel block's factors, q0..q3: the bounded form's (pre, round lo, round hi, sign step) where it applies,
// else the general form's (left, pow, mask, threshold) of requantize-simd.ts.

// @ts-ignore: decorator
@inline
export function blockFactor(j: i32, shift: v128, bounded: bool, right: i32): v128 {
  if (bounded) {
    if (j == 0) return boundedPre(shift, right);
    if (j == 1) return boundedRound(shift, right, false);
    if (j == 2) return boundedRound(shift, right, true);
    return boundedSignStep(shift, right);
  }
  if (j == 0) return requantFactorLeft(shift);
  if (j == 1) return requantFactorPow(shift);
  if (j == 2) return requantFactorMask(shift);
  return requantFactorThreshold(requantFactorMask(shift));
}

/** Four lanes requantized with the block's factors, in whichever form they were made for. */
// @ts-ignore: decorator
@inline
export function requantizeX4Block(acc: v128, multiplier: v128, q0: v128, q1: v128, q2: v128, q3: v128, bounded: bool, right: i32): v128 {
  return bounded ? requantizeX4Bounded(acc, multiplier, q0, q1, q2, q3, right) : requantizeX4Int(acc, multiplier, q0, q1, q2, q3);
}
