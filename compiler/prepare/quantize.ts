// QUANTIZE: float32 → int8 (AffineQuantize: round(x / scale) + zp in float32, clamped) and int8 → int8
// requantization (QuantizeMultiplier of s_in/s_out, as TFLite Micro's Requantize).
import { tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { floatBits, kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { expectDType, matchingElements, opTensor, perTensorQuant } from './op-tensors.ts';
import { quantizeMultiplier } from './quantize-multiplier.ts';

export const QUANTIZE_F32_S8 = kernelLayout('quantize_f32_s8', ['input', 'output'], ['size', 'scaleBits', 'zeroPoint']);
export const QUANTIZE_S8 = kernelLayout('quantize_s8', ['input', 'output'], ['size', 'inputZeroPoint', 'outputZeroPoint', 'multiplier', 'shift']);

export function prepareQuantize(graph: Graph, op: Op<'QUANTIZE'>): PreparedOp[] {
  const input = opTensor(graph, op, op.inputs[0], 'input');
  const output = opTensor(graph, op, op.outputs[0], 'output');
  expectDType(op, input, 'input', 'float32', 'int8');
  expectDType(op, output, 'output', 'int8');
  const size = matchingElements(op, input, output);
  const qo = perTensorQuant(op, output, 'output');
  const pointers = { input: { kind: 'tensor', tensor: input.id }, output: { kind: 'tensor', tensor: output.id } } as const;
  const counters = { macs: 0, bytesRead: tensorBytes(input), bytesWritten: tensorBytes(output) };
  if (input.dtype === 'float32') {
    return [{
      opIndex: op.index, layout: QUANTIZE_F32_S8, pointers,
      scalars: { size, scaleBits: floatBits(qo.scale), zeroPoint: qo.zeroPoint }, scratchBytes: 0, counters,
    }];
  }
  const qi = perTensorQuant(op, input, 'input');
  const m = quantizeMultiplier(qi.scale / qo.scale);
  return [{
    opIndex: op.index, layout: QUANTIZE_S8, pointers,
    scalars: { size, inputZeroPoint: qi.zeroPoint, outputZeroPoint: qo.zeroPoint, multiplier: m.multiplier, shift: m.shift },
    scratchBytes: 0, counters,
  }];
}
