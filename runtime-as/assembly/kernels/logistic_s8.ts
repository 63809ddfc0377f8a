// LOGISTIC int8 (output scale 1/256, zero point -128), TFLite Micro's reference integer path:
// inputs beyond the radius saturate; the rest go through gemmlowp's Q4 logistic.
import { mapQ4Activation, Q4Activation } from '../q4-activation';

export function logistic_s8(
  input: usize, output: usize,
  size: i32, inputZeroPoint: i32, inputRangeRadius: i32, inputMultiplier: i32, inputLeftShift: i32,
): void {
  mapQ4Activation(Q4Activation.Logistic, input, output, size, inputZeroPoint, inputRangeRadius, inputMultiplier, inputLeftShift);
}
