// HARD_SWISH int8 as TFLite prepares it: the hires input scale (s_in/128), the output multiplier
// hires/s_out and the "reluish" multiplier hires/(3/32768), each computed in float32, quantized to Q31
// and downscaled to Q15 (int16) with its exponent.
import { tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { int8UnaryTensors, perTensorQuant } from './op-tensors.ts';
import { opLabel, PrepareError } from './prepare-error.ts';
import { quantizeMultiplier } from './quantize-multiplier.ts';

export const HARD_SWISH_S8 = kernelLayout('hard_swish_s8', ['input', 'output'], [
  'size', 'inputZeroPoint', 'outputZeroPoint', 'outputMultiplier', 'outputExponent', 'reluishMultiplier', 'reluishExponent',
]);

/** TFLite's DownScaleInt32ToInt16Multiplier: Q31 to Q15, rounding, saturating at 32767. */
export function downScaleToInt16Multiplier(m: number): number {
  if (m >= 0x7fffffff - (1 << 15)) return 32767;
  return (m + (1 << 15)) >> 16;
}

export function prepareHardSwish(graph: Graph, op: Op<'HARD_SWISH'>): PreparedOp[] {
  const { input, output, size } = int8UnaryTensors(graph, op);
  const qi = perTensorQuant(op, input, 'input');
  const qo = perTensorQuant(op, output, 'output');
  const hiresInputScale = Math.fround(Math.fround(1 / 128) * Math.fround(qi.scale));
  const reluishScale = Math.fround(3 / 32768);
  const out = quantizeMultiplier(Math.fround(hiresInputScale / Math.fround(qo.scale)));
  const reluish = quantizeMultiplier(Math.fround(hiresInputScale / reluishScale));
  if (out.shift > 0) {
    throw new PrepareError(`${opLabel(op)}: input scale ${qi.scale} / 128 over output scale ${qo.scale} is at least 1; TFLite's HARD_SWISH needs it below 1`);
  }
  return [{
    opIndex: op.index,
    layout: HARD_SWISH_S8,
    pointers: { input: { kind: 'tensor', tensor: input.id }, output: { kind: 'tensor', tensor: output.id } },
    scalars: {
      size, inputZeroPoint: qi.zeroPoint, outputZeroPoint: qo.zeroPoint,
      outputMultiplier: downScaleToInt16Multiplier(out.multiplier), outputExponent: out.shift,
      reluishMultiplier: downScaleToInt16Multiplier(reluish.multiplier), reluishExponent: reluish.shift,
    },
    scratchBytes: 0,
    counters: { macs: 0, bytesRead: tensorBytes(input), bytesWritten: tensorBytes(output) },
  }];
}
