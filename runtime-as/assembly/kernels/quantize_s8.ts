// QUANTIZE int8 → int8 (requantize), TFLite Micro's reference Requantize: (x - zp_in) rescaled by
// s_in/s_out, plus zp_out, clamped. Works in place.
import { BYTE_TABLE, BYTE_TABLE_MIN_SIZE, mapThroughByteTable } from '../byte-table';
import { multiplyByQuantizedMultiplier } from '../fixedpoint';

// @ts-ignore: decorator
@inline
function requantizeOne(value: i32, inputZeroPoint: i32, outputZeroPoint: i32, multiplier: i32, shift: i32): i32 {
  let out = multiplyByQuantizedMultiplier(value - inputZeroPoint, multiplier, shift) + outputZeroPoint;
  if (out < -128) out = -128;
  if (out > 127) out = 127;
  return out;
}

export function quantize_s8(
  input: usize, output: usize,
  size: i32, inputZeroPoint: i32, outputZeroPoint: i32, multiplier: i32, shift: i32,
): void {
  if (size >= BYTE_TABLE_MIN_SIZE) {
    for (let v = -128; v < 128; v++) store<i8>(BYTE_TABLE + <usize>(v + 128), <i8>requantizeOne(v, inputZeroPoint, outputZeroPoint, multiplier, shift));
    mapThroughByteTable(input, output, size);
    return;
  }
  for (let i = 0; i < size; i++) {
    store<i8>(output + <usize>i, <i8>requantizeOne(<i32>load<i8>(input + <usize>i), inputZeroPoint, outputZeroPoint, multiplier, shift));
  }
}
