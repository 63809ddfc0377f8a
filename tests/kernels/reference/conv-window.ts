// What the CONV_2D and DEPTHWISE_CONV_2D reference oracles share: the window geometry and
// quantization parameters, and TFLite Micro's per-channel output stage.
import { multiplyByQuantizedMultiplier } from './fixed-point.ts';

export interface ConvWindowParams {
  batches: number; input_h: number; input_w: number; input_c: number;
  filter_h: number; filter_w: number; output_h: number; output_w: number;
  stride_h: number; stride_w: number; dilation_h: number; dilation_w: number; pad_h: number; pad_w: number;
  input_offset: number; output_offset: number; act_min: number; act_max: number;
}

/** Output channel `oc`'s accumulator plus bias, requantized, offset (int32, wrapping as in C) and clamped. */
export function convOutput(
  p: ConvWindowParams, acc: number, oc: number, bias: Int32Array | undefined, multipliers: Int32Array, shifts: Int32Array,
): number {
  if (bias) acc = (acc + bias[oc]) | 0;
  acc = (multiplyByQuantizedMultiplier(acc, multipliers[oc], shifts[oc]) + p.output_offset) | 0;
  return Math.min(Math.max(acc, p.act_min), p.act_max);
}
