// TANH int8 (output scale 1/128, zero point 0), TFLite Micro's reference integer path:
// inputs beyond the radius saturate; the rest go through gemmlowp's Q4 tanh.
import { multiplyByQuantizedMultiplier, roundingDivideByPOT } from '../fixedpoint';
import { tanhFixed } from '../gemmlowp-exp';

export function tanh_s8(
  input: usize, output: usize,
  size: i32, inputZeroPoint: i32, inputRangeRadius: i32, inputMultiplier: i32, inputLeftShift: i32,
): void {
  for (let i = 0; i < size; i++) {
    const x = <i32>load<i8>(input + <usize>i) - inputZeroPoint;
    let out: i32;
    if (x <= -inputRangeRadius) {
      out = -128;
    } else if (x >= inputRangeRadius) {
      out = 127;
    } else {
      const inQ4 = multiplyByQuantizedMultiplier(x, inputMultiplier, inputLeftShift);
      out = roundingDivideByPOT(tanhFixed(inQ4, 4), 31 - 7);
      if (out < -128) out = -128;
      if (out > 127) out = 127;
    }
    store<i8>(output + <usize>i, <i8>out);
  }
}
