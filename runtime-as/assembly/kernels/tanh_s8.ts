// TANH int8 (output scale 1/128, zero point 0), TFLite Micro's reference integer path:
// inputs beyond the radius saturate; the rest go through gemmlowp's Q4 tanh.
import { mapQ4Activation, Q4Activation } from '../q4-activation';

export function tanh_s8(
  input: usize, output: usize,
  size: i32, inputZeroPoint: i32, inputRangeRadius: i32, inputMultiplier: i32, inputLeftShift: i32,
): void {
  mapQ4Activation(Q4Activation.Tanh, input, output, size, inputZeroPoint, inputRangeRadius, inputMultiplier, inputLeftShift);
}
