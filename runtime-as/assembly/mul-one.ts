// One int8 MUL element, TFLite Micro's reference: (x - zp1)(y - zp2) rescaled by s1·s2/s_out, offset, clamped.
import { multiplyByQuantizedMultiplier } from './fixedpoint';

// @ts-ignore: decorator
@inline
export function mulOne(
  x: i32, y: i32, input1Offset: i32, input2Offset: i32,
  outputMultiplier: i32, outputShift: i32, outputOffset: i32, actMin: i32, actMax: i32,
): i32 {
  let out = outputOffset + multiplyByQuantizedMultiplier((input1Offset + x) * (input2Offset + y), outputMultiplier, outputShift);
  if (out < actMin) out = actMin;
  if (out > actMax) out = actMax;
  return out;
}
