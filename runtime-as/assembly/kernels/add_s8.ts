// ADD int8, TFLite Micro's reference: both inputs shifted left by 20, rescaled to a common scale
// (2·max input scale), summed, rescaled to the output and clamped. Elementwise (works in place) and
// broadcast forms; `shape` holds 6 output dims then each input's 6 element strides (0 = broadcast).
import { addOne } from '../add-one';
import { BinaryOp, broadcastBinary } from '../broadcast-binary';
import { boundedApplies, boundedPre, boundedRight, boundedRound, boundedSignStep, requantizeX4Bounded } from '../requantize-bounded-simd';
import { multiplyByQuantizedMultiplierX4 } from '../requantize-per-tensor-simd';

// @ts-ignore: decorator
@inline
function requantX4(x: v128, m: v128, shift: i32): v128 {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  const mask: i32 = (1 << right) - 1;
  return multiplyByQuantizedMultiplierX4(x, m, left, right, i32x4.splat(mask), i32x4.splat(mask >> 1));
}

// @ts-ignore: decorator
@inline
function addX4(
  x: v128, y: v128, leftShift: i32, off1: v128, off2: v128, offO: v128,
  m1: v128, s1: i32, m2: v128, s2: i32, mo: v128, so: i32,
): v128 {
  const a = requantX4(i32x4.shl(i32x4.add(x, off1), leftShift), m1, s1);
  const b = requantX4(i32x4.shl(i32x4.add(y, off2), leftShift), m2, s2);
  return i32x4.add(requantX4(i32x4.add(a, b), mo, so), offO);
}

/**
 * An input's rescale, MultiplyByQuantizedMultiplier((x + offset)·2^20, m, -r), exactly in 32-bit lanes, in one
 * rounding. With v = x + offset (|v| <= 255), m = mh·2^11 + ml (0 <= ml < 2^11) and the doubling high product
 * t < 0 exactly when v < 0, RoundingDivideByPOT(t, r) = floor((v·m + 2^10 + 2^(10+r) - [v < 0]·2^11) / 2^(11+r))
 * (see requantize-bounded-simd.ts) = (v·mh + ((v·ml + round) >> 11) - [v < 0]) >> r, round = 2^10 + 2^(10+r)
 * (2^10 and no sign term when r = 0, which divides nothing): no term leaves int32 for r <= 19.
 */
// @ts-ignore: decorator
@inline
function scaleInputX4(v: v128, mh: v128, ml: v128, round: v128, right: i32, divides: v128): v128 {
  const t = i32x4.add(i32x4.mul(v, mh), i32x4.shr_s(i32x4.add(i32x4.mul(v, ml), round), 11));
  // -[v < 0] only where there is a division (divides = all ones when r > 0).
  return i32x4.shr_s(i32x4.add(t, v128.and(i32x4.shr_s(v, 31), divides)), right);
}

/** Four outputs before the output offset: inputs rescaled by scaleInputX4, their sum by the bounded form. */
// @ts-ignore: decorator
@inline
function addSplitX4(
  x: v128, y: v128, off1: v128, off2: v128,
  mh1: v128, ml1: v128, round1: v128, r1: i32, d1: v128, mh2: v128, ml2: v128, round2: v128, r2: i32, d2: v128,
  mo: v128, pre: v128, roundLo: v128, roundHi: v128, signStep: v128, right: i32,
): v128 {
  const a = scaleInputX4(i32x4.add(x, off1), mh1, ml1, round1, r1, d1);
  const b = scaleInputX4(i32x4.add(y, off2), mh2, ml2, round2, r2, d2);
  return requantizeX4Bounded(i32x4.add(a, b), mo, pre, roundLo, roundHi, signStep, right);
}

/** scaleInputX4's rounding term for a right shift r. */
// @ts-ignore: decorator
@inline
function inputRound(r: i32): v128 {
  return i32x4.splat(r == 0 ? 1 << 10 : (1 << 10) + (1 << (10 + r)));
}

export function add_s8(
  input1: usize, input2: usize, output: usize,
  size: i32, input1Offset: i32, input2Offset: i32, leftShift: i32,
  input1Multiplier: i32, input1Shift: i32, input2Multiplier: i32, input2Shift: i32,
  outputMultiplier: i32, outputShift: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // Per-tensor multipliers and shifts: the exact 4-lane requantization, shift masks folded by the optimizer.
    const m1 = i32x4.splat(input1Multiplier), m2 = i32x4.splat(input2Multiplier), mo = i32x4.splat(outputMultiplier);
    const off1 = i32x4.splat(input1Offset), off2 = i32x4.splat(input2Offset), offO = i32x4.splat(outputOffset);
    const offO16 = i16x8.splat(<i16>outputOffset);
    const vMin = i8x16.splat(<i8>actMin), vMax = i8x16.splat(<i8>actMax);
    // The sum of two rescaled inputs stays below 2^29 (each |·| <= 255·2^19, rounded): the output's bounded form.
    const so = i32x4.splat(outputShift);
    const right = boundedRight(so);
    if (leftShift == 20 && input1Shift <= 0 && input2Shift <= 0 && input1Shift >= -19 && input2Shift >= -19
      && boundedApplies(29, mo, so, right)) {
      // TFLite's int8 ADD always shifts by 20 and scales inputs by at most 1/2: the all-32-bit path.
      const mh1 = i32x4.splat(input1Multiplier >> 11), ml1 = i32x4.splat(input1Multiplier & 2047);
      const mh2 = i32x4.splat(input2Multiplier >> 11), ml2 = i32x4.splat(input2Multiplier & 2047);
      const r1 = -input1Shift, r2 = -input2Shift;
      const round1 = inputRound(r1), round2 = inputRound(r2);
      const d1 = i32x4.splat(r1 == 0 ? 0 : -1), d2 = i32x4.splat(r2 == 0 ? 0 : -1);
      const pre = boundedPre(so, right), roundLo = boundedRound(so, right, false), roundHi = boundedRound(so, right, true);
      const signStep = boundedSignStep(so, right);
      for (; i + 16 <= size; i += 16) {
        const x = v128.load(input1 + <usize>i);
        const y = v128.load(input2 + <usize>i);
        const x0 = i16x8.extend_low_i8x16_s(x), x1 = i16x8.extend_high_i8x16_s(x);
        const y0 = i16x8.extend_low_i8x16_s(y), y1 = i16x8.extend_high_i8x16_s(y);
        const q0 = addSplitX4(i32x4.extend_low_i16x8_s(x0), i32x4.extend_low_i16x8_s(y0), off1, off2,
          mh1, ml1, round1, r1, d1, mh2, ml2, round2, r2, d2, mo, pre, roundLo, roundHi, signStep, right);
        const q1 = addSplitX4(i32x4.extend_high_i16x8_s(x0), i32x4.extend_high_i16x8_s(y0), off1, off2,
          mh1, ml1, round1, r1, d1, mh2, ml2, round2, r2, d2, mo, pre, roundLo, roundHi, signStep, right);
        const q2 = addSplitX4(i32x4.extend_low_i16x8_s(x1), i32x4.extend_low_i16x8_s(y1), off1, off2,
          mh1, ml1, round1, r1, d1, mh2, ml2, round2, r2, d2, mo, pre, roundLo, roundHi, signStep, right);
        const q3 = addSplitX4(i32x4.extend_high_i16x8_s(x1), i32x4.extend_high_i16x8_s(y1), off1, off2,
          mh1, ml1, round1, r1, d1, mh2, ml2, round2, r2, d2, mo, pre, roundLo, roundHi, signStep, right);
        // The output offset added in 16 bits after a saturating narrow: exact, as the clamp lies inside int8.
        const packed = i8x16.narrow_i16x8_s(i16x8.add_sat_s(i16x8.narrow_i32x4_s(q0, q1), offO16), i16x8.add_sat_s(i16x8.narrow_i32x4_s(q2, q3), offO16));
        v128.store(output + <usize>i, i8x16.min_s(i8x16.max_s(packed, vMin), vMax));
      }
    }
    for (; i + 16 <= size; i += 16) {
      const x = v128.load(input1 + <usize>i);
      const y = v128.load(input2 + <usize>i);
      const x0 = i16x8.extend_low_i8x16_s(x), x1 = i16x8.extend_high_i8x16_s(x);
      const y0 = i16x8.extend_low_i8x16_s(y), y1 = i16x8.extend_high_i8x16_s(y);
      const r0 = addX4(i32x4.extend_low_i16x8_s(x0), i32x4.extend_low_i16x8_s(y0), leftShift, off1, off2, offO, m1, input1Shift, m2, input2Shift, mo, outputShift);
      const r1 = addX4(i32x4.extend_high_i16x8_s(x0), i32x4.extend_high_i16x8_s(y0), leftShift, off1, off2, offO, m1, input1Shift, m2, input2Shift, mo, outputShift);
      const r2 = addX4(i32x4.extend_low_i16x8_s(x1), i32x4.extend_low_i16x8_s(y1), leftShift, off1, off2, offO, m1, input1Shift, m2, input2Shift, mo, outputShift);
      const r3 = addX4(i32x4.extend_high_i16x8_s(x1), i32x4.extend_high_i16x8_s(y1), leftShift, off1, off2, offO, m1, input1Shift, m2, input2Shift, mo, outputShift);
      // Saturating narrows clamp to int8 first, which the activation clamp then narrows further.
      const packed = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(r0, r1), i16x8.narrow_i32x4_s(r2, r3));
      v128.store(output + <usize>i, i8x16.min_s(i8x16.max_s(packed, vMin), vMax));
    }
  }
  for (; i < size; i++) {
    const o = addOne(
      <i32>load<i8>(input1 + <usize>i), <i32>load<i8>(input2 + <usize>i),
      input1Offset, input2Offset, leftShift, input1Multiplier, input1Shift, input2Multiplier, input2Shift,
      outputMultiplier, outputShift, outputOffset, actMin, actMax);
    store<i8>(output + <usize>i, <i8>o);
  }
}

export function add_broadcast_s8(
  input1: usize, input2: usize, output: usize, shape: usize,
  input1Offset: i32, input2Offset: i32, leftShift: i32,
  input1Multiplier: i32, input1Shift: i32, input2Multiplier: i32, input2Shift: i32,
  outputMultiplier: i32, outputShift: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  broadcastBinary(BinaryOp.Add, input1, input2, output, shape, input1Offset, input2Offset, leftShift,
    input1Multiplier, input1Shift, input2Multiplier, input2Shift, outputMultiplier, outputShift, outputOffset, actMin, actMax);
}
