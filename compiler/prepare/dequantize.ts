// DEQUANTIZE int8 → float32: (q - zp) · scale.
import { tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { floatBits, kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { expectDType, matchingElements, opTensor, perTensorQuant } from './op-tensors.ts';

export const DEQUANTIZE_S8_F32 = kernelLayout('dequantize_s8_f32', ['input', 'output'], ['size', 'zeroPoint', 'scaleBits']);

export function prepareDequantize(graph: Graph, op: Op<'DEQUANTIZE'>): PreparedOp[] {
  const input = opTensor(graph, op, op.inputs[0], 'input');
  const output = opTensor(graph, op, op.outputs[0], 'output');
  expectDType(op, input, 'input', 'int8');
  expectDType(op, output, 'output', 'float32');
  const size = matchingElements(op, input, output);
  const q = perTensorQuant(op, input, 'input');
  return [{
    opIndex: op.index,
    layout: DEQUANTIZE_S8_F32,
    pointers: { input: { kind: 'tensor', tensor: input.id }, output: { kind: 'tensor', tensor: output.id } },
    scalars: { size, zeroPoint: q.zeroPoint, scaleBits: floatBits(q.scale) },
    scratchBytes: 0,
    counters: { macs: 0, bytesRead: tensorBytes(input), bytesWritten: tensorBytes(output) },
  }];
}
