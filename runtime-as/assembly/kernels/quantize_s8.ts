// QUANTIZE int8 → int8 (requantize), TFLite Micro's reference Requantize: (x - zp_in) rescaled by
// s_in/s_out, plus zp_out, clamped. Works in place.
import { multiplyByQuantizedMultiplier } from '../fixedpoint';

export function quantize_s8(
  input: usize, output: usize,
  size: i32, inputZeroPoint: i32, outputZeroPoint: i32, multiplier: i32, shift: i32,
): void {
  for (let i = 0; i < size; i++) {
    let out = multiplyByQuantizedMultiplier(<i32>load<i8>(input + <usize>i) - inputZeroPoint, multiplier, shift) + outputZeroPoint;
    if (out < -128) out = -128;
    if (out > 127) out = 127;
    store<i8>(output + <usize>i, <i8>out);
  }
}
