// One int8 ADD element, TFLite Micro's reference: both inputs shifted left, rescaled to a common scale,
// summed, rescaled to the output and clamped.
import { multiplyByQuantizedMultiplier } from './fixedpoint';

// @ts-ignore: decorator
@inline
export function addOne(
  x: i32, y: i32,
  input1Offset: i32, input2Offset: i32, leftShift: i32,
  input1Multiplier: i32, input1Shift: i32, input2Multiplier: i32, input2Shift: i32,
  outputMultiplier: i32, outputShift: i32, outputOffset: i32, actMin: i32, actMax: i32,
): i32 {
  const scaled1 = multiplyByQuantizedMultiplier((input1Offset + x) * (1 << leftShift), input1Multiplier, input1Shift);
  const scaled2 = multiplyByQuantizedMultiplier((input2Offset + y) * (1 << leftShift), input2Multiplier, input2Shift);
  let out = multiplyByQuantizedMultiplier(scaled1 + scaled2, outputMultiplier, outputShift) + outputOffset;
  if (out < actMin) out = actMin;
  if (out > actMax) out = actMax;
  return out;
}
