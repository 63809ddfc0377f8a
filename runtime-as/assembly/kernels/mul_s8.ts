// MUL int8, TFLite Micro's reference: (x - zp1)(y - zp2) rescaled by s1·s2/s_out, offset, clamped.
// Elementwise (works in place) and broadcast forms; `shape` as in add_s8.
import { BinaryOp, broadcastBinary } from '../broadcast-binary';
import { mulOne } from '../mul-one';
import { multiplyByQuantizedMultiplierX4 } from '../requantize-per-tensor-simd';

export function mul_s8(
  input1: usize, input2: usize, output: usize,
  size: i32, input1Offset: i32, input2Offset: i32,
  outputMultiplier: i32, outputShift: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // Products of offset int8 values fit int16·int16 in int32; one exact 4-lane requantization each.
    const m = i32x4.splat(outputMultiplier);
    const left = outputShift > 0 ? outputShift : 0;
    const right = outputShift > 0 ? 0 : -outputShift;
    const mask = i32x4.splat((1 << right) - 1), halfMask = i32x4.splat(((1 << right) - 1) >> 1);
    const off1 = i16x8.splat(<i16>input1Offset), off2 = i16x8.splat(<i16>input2Offset), offO = i32x4.splat(outputOffset);
    const vMin = i8x16.splat(<i8>actMin), vMax = i8x16.splat(<i8>actMax);
    for (; i + 16 <= size; i += 16) {
      const x = v128.load(input1 + <usize>i);
      const y = v128.load(input2 + <usize>i);
      // Offsets are in [-127, 128] (minus a zero point), so the sums fit int16 exactly.
      const x0 = i16x8.add(i16x8.extend_low_i8x16_s(x), off1), x1 = i16x8.add(i16x8.extend_high_i8x16_s(x), off1);
      const y0 = i16x8.add(i16x8.extend_low_i8x16_s(y), off2), y1 = i16x8.add(i16x8.extend_high_i8x16_s(y), off2);
      const r0 = i32x4.add(multiplyByQuantizedMultiplierX4(i32x4.extmul_low_i16x8_s(x0, y0), m, left, right, mask, halfMask), offO);
      const r1 = i32x4.add(multiplyByQuantizedMultiplierX4(i32x4.extmul_high_i16x8_s(x0, y0), m, left, right, mask, halfMask), offO);
      const r2 = i32x4.add(multiplyByQuantizedMultiplierX4(i32x4.extmul_low_i16x8_s(x1, y1), m, left, right, mask, halfMask), offO);
      const r3 = i32x4.add(multiplyByQuantizedMultiplierX4(i32x4.extmul_high_i16x8_s(x1, y1), m, left, right, mask, halfMask), offO);
      const packed = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(r0, r1), i16x8.narrow_i32x4_s(r2, r3));
      v128.store(output + <usize>i, i8x16.min_s(i8x16.max_s(packed, vMin), vMax));
    }
  }
  for (; i < size; i++) {
    const o = mulOne(<i32>load<i8>(input1 + <usize>i), <i32>load<i8>(input2 + <usize>i),
      input1Offset, input2Offset, outputMultiplier, outputShift, outputOffset, actMin, actMax);
    store<i8>(output + <usize>i, <i8>o);
  }
}

export function mul_broadcast_s8(
  input1: usize, input2: usize, output: usize, shape: usize,
  input1Offset: i32, input2Offset: i32,
  outputMultiplier: i32, outputShift: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  // MUL has no left shift and no input rescale: those scalars are unused zeros.
  broadcastBinary(BinaryOp.Mul, input1, input2, output, shape, input1Offset, input2Offset, 0, 0, 0, 0, 0,
    outputMultiplier, outputShift, outputOffset, actMin, actMax);
}
