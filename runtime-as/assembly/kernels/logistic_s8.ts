// LOGISTIC int8 (output scale 1/256, zero point -128), TFLite Micro's reference integer path:
// inputs beyond the radius saturate; the rest go through gemmlowp's Q4 logistic.
import { BYTE_TABLE, BYTE_TABLE_MIN_SIZE, mapThroughByteTable } from '../byte-table';
import { multiplyByQuantizedMultiplier, roundingDivideByPOT } from '../fixedpoint';
import { logisticFixed } from '../gemmlowp-exp';

// @ts-ignore: decorator
@inline
function logisticOne(value: i32, inputZeroPoint: i32, inputRangeRadius: i32, inputMultiplier: i32, inputLeftShift: i32): i32 {
  const x = value - inputZeroPoint;
  let out: i32;
  if (x <= -inputRangeRadius) {
    out = -128;
  } else if (x >= inputRangeRadius) {
    out = 127;
  } else {
    const inQ4 = multiplyByQuantizedMultiplier(x, inputMultiplier, inputLeftShift);
    out = roundingDivideByPOT(logisticFixed(inQ4, 4), 31 - 8) - 128;
    if (out < -128) out = -128;
    if (out > 127) out = 127;
  }
  return out;
}

export function logistic_s8(
  input: usize, output: usize,
  size: i32, inputZeroPoint: i32, inputRangeRadius: i32, inputMultiplier: i32, inputLeftShift: i32,
): void {
  if (size >= BYTE_TABLE_MIN_SIZE) {
    for (let v = -128; v < 128; v++) {
      store<i8>(BYTE_TABLE + <usize>(v + 128), <i8>logisticOne(v, inputZeroPoint, inputRangeRadius, inputMultiplier, inputLeftShift));
    }
    mapThroughByteTable(input, output, size);
    return;
  }
  for (let i = 0; i < size; i++) {
    const out = logisticOne(<i32>load<i8>(input + <usize>i), inputZeroPoint, inputRangeRadius, inputMultiplier, inputLeftShift);
    store<i8>(output + <usize>i, <i8>out);
  }
}
