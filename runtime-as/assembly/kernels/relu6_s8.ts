// RELU6 int8, TFLite Micro's reference: a clamp to [zero point, quantized 6] on the input's scale
// (no requantization). Works in place.
import { clampBytes } from '../clamp-bytes';

export function relu6_s8(input: usize, output: usize, size: i32, lower: i32, upper: i32): void {
  clampBytes(input, output, size, lower, upper);
}
