// The int8 activations TFLite Micro computes through gemmlowp's Q4 fixed point (LOGISTIC, TANH): inputs
// beyond the radius saturate, the rest are rescaled to Q4, go through the Q0 function and are shifted down
// to the output's 8 bits. Long tensors fill the byte table once and map through it.
import { BYTE_TABLE, BYTE_TABLE_MIN_SIZE, mapThroughByteTable } from './byte-table';
import { multiplyByQuantizedMultiplier, roundingDivideByPOT } from './fixedpoint';
import { logisticFixed, tanhFixed } from './gemmlowp-exp';

/** Which Q4 function: its output is int8 with scale 1/256 and zero point -128 (logistic) or 1/128 and 0 (tanh). */
export const enum Q4Activation { Logistic, Tanh }

// @ts-ignore: decorator
@inline
function q4ActivationOne(
  activation: Q4Activation, value: i32,
  inputZeroPoint: i32, inputRangeRadius: i32, inputMultiplier: i32, inputLeftShift: i32,
): i32 {
  const x = value - inputZeroPoint;
  let out: i32;
  if (x <= -inputRangeRadius) {
    out = -128;
  } else if (x >= inputRangeRadius) {
    out = 127;
  } else {
    const inQ4 = multiplyByQuantizedMultiplier(x, inputMultiplier, inputLeftShift);
    out = activation == Q4Activation.Tanh
      ? roundingDivideByPOT(tanhFixed(inQ4, 4), 31 - 7)
      : roundingDivideByPOT(logisticFixed(inQ4, 4), 31 - 8) - 128;
    if (out < -128) out = -128;
    if (out > 127) out = 127;
  }
  return out;
}

/** Maps `size` int8 inputs to `output` (may be the input) through the activation. */
// @ts-ignore: decorator
@inline
export function mapQ4Activation(
  activation: Q4Activation, input: usize, output: usize,
  size: i32, inputZeroPoint: i32, inputRangeRadius: i32, inputMultiplier: i32, inputLeftShift: i32,
): void {
  if (size >= BYTE_TABLE_MIN_SIZE) {
    for (let v = -128; v < 128; v++) {
      const out = q4ActivationOne(activation, v, inputZeroPoint, inputRangeRadius, inputMultiplier, inputLeftShift);
      store<i8>(BYTE_TABLE + <usize>(v + 128), <i8>out);
    }
    mapThroughByteTable(input, output, size);
  } else {
    for (let i = 0; i < size; i++) {
      const out = q4ActivationOne(activation, <i32>load<i8>(input + <usize>i), inputZeroPoint, inputRangeRadius, inputMultiplier, inputLeftShift);
      store<i8>(output + <usize>i, <i8>out);
    }
  }
}
