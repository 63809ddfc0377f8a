// RELU int8, TFLite Micro's reference: requantize (x - zp_in) by s_in/s_out, add zp_out, clamp to
// [quantized 0, 127]. With equal quantization it is a pure clamp (SIMD path). Works in place.
import { multiplyByQuantizedMultiplier } from '../fixedpoint';
import { clampBytes } from '../clamp-bytes';

export function relu_s8(
  input: usize, output: usize,
  size: i32, inputZeroPoint: i32, outputZeroPoint: i32, multiplier: i32, shift: i32, actMin: i32, actMax: i32,
): void {
  // multiplier 2^30 with shift 1 is exactly ×1.
  if (multiplier == 1 << 30 && shift == 1 && inputZeroPoint == outputZeroPoint) {
    clampBytes(input, output, size, actMin, actMax);
    return;
  }
  for (let i = 0; i < size; i++) {
    let out = outputZeroPoint + multiplyByQuantizedMultiplier(<i32>load<i8>(input + <usize>i) - inputZeroPoint, multiplier, shift);
    if (out < actMin) out = actMin;
    if (out > actMax) out = actMax;
    store<i8>(output + <usize>i, <i8>out);
  }
}
