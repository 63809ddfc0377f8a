// TFLite Micro's reference int8 FULLY_CONNECTED, in plain TypeScript: the test oracle and the
// benchmark's TypeScript baseline (a 1×1 convolution is the same loop over pixels).
import { multiplyByQuantizedMultiplier } from './fixed-point.ts';

export interface FullyConnectedParams {
  batches: number; input_depth: number; output_depth: number;
  input_offset: number; output_offset: number; act_min: number; act_max: number;
}

export function fullyConnectedReference(
  p: FullyConnectedParams, input: Int8Array, filter: Int8Array, bias: Int32Array | undefined,
  multipliers: Int32Array, shifts: Int32Array, out = new Int8Array(p.batches * p.output_depth),
): Int8Array {
  const inD = p.input_depth;
  for (let b = 0; b < p.batches; b++) {
    for (let oc = 0; oc < p.output_depth; oc++) {
      let acc = 0;
      for (let i = 0; i < inD; i++) acc = (acc + filter[oc * inD + i] * (input[b * inD + i] + p.input_offset)) | 0;
      if (bias) acc = (acc + bias[oc]) | 0;
      acc = (multiplyByQuantizedMultiplier(acc, multipliers[oc], shifts[oc]) + p.output_offset) | 0; // int32, wrapping as in C
      out[b * p.output_depth + oc] = Math.min(Math.max(acc, p.act_min), p.act_max);
    }
  }
  return out;
}
