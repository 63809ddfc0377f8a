// RELU int8, TFLite Micro's reference: requantize (x - zp_in) by s_in/s_out, add zp_out, clamp to
// [quantized 0, 127]. With equal quantization it is a pure clamp (SIMD path); long requantizing
// inputs go through a 256-entry table. Works in place.
import { BYTE_TABLE, BYTE_TABLE_MIN_SIZE, mapThroughByteTable } from '../byte-table';
import { clampBytes } from '../clamp-bytes';
import { multiplyByQuantizedMultiplier } from '../fixedpoint';

// @ts-ignore: decorator
@inline
function reluOne(value: i32, inputZeroPoint: i32, outputZeroPoint: i32, multiplier: i32, shift: i32, actMin: i32, actMax: i32): i32 {
  let out = outputZeroPoint + multiplyByQuantizedMultiplier(value - inputZeroPoint, multiplier, shift);
  if (out < actMin) out = actMin;
  if (out > actMax) out = actMax;
  return out;
}

export function relu_s8(
  input: usize, output: usize,
  size: i32, inputZeroPoint: i32, outputZeroPoint: i32, multiplier: i32, shift: i32, actMin: i32, actMax: i32,
): void {
  // multiplier 2^30 with shift 1 is exactly ×1.
  if (multiplier == 1 << 30 && shift == 1 && inputZeroPoint == outputZeroPoint) {
    clampBytes(input, output, size, actMin, actMax);
    return;
  }
  if (size >= BYTE_TABLE_MIN_SIZE) {
    for (let v = -128; v < 128; v++) {
      store<i8>(BYTE_TABLE + <usize>(v + 128), <i8>reluOne(v, inputZeroPoint, outputZeroPoint, multiplier, shift, actMin, actMax));
    }
    mapThroughByteTable(input, output, size);
    return;
  }
  for (let i = 0; i < size; i++) {
    store<i8>(output + <usize>i, <i8>reluOne(<i32>load<i8>(input + <usize>i), inputZeroPoint, outputZeroPoint, multiplier, shift, actMin, actMax));
  }
}
