// RELU and RELU6 int8 as TFLite Micro prepares them: RELU requantizes (s_in/s_out) and clamps at the
// quantized 0; RELU6 clamps to [zp, quantized 6] on the input's own scale without requantizing.
import { tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { int8UnaryTensors, perTensorQuant } from './op-tensors.ts';
import { quantizeMultiplier } from './quantize-multiplier.ts';

export const RELU_S8 = kernelLayout('relu_s8', ['input', 'output'],
  ['size', 'inputZeroPoint', 'outputZeroPoint', 'multiplier', 'shift', 'actMin', 'actMax']);
export const RELU6_S8 = kernelLayout('relu6_s8', ['input', 'output'], ['size', 'lower', 'upper']);

function roundf(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export function prepareRelu(graph: Graph, op: Op<'RELU'>): PreparedOp[] {
  const { input, output, size } = int8UnaryTensors(graph, op);
  const qi = perTensorQuant(op, input, 'input');
  const qo = perTensorQuant(op, output, 'output');
  const m = quantizeMultiplier(qi.scale / qo.scale);
  return [{
    opIndex: op.index,
    layout: RELU_S8,
    pointers: { input: { kind: 'tensor', tensor: input.id }, output: { kind: 'tensor', tensor: output.id } },
    scalars: {
      size, inputZeroPoint: qi.zeroPoint, outputZeroPoint: qo.zeroPoint, multiplier: m.multiplier, shift: m.shift,
      // roundf(0 / scale) is 0: the clamp starts at the output zero point.
      actMin: Math.max(-128, qo.zeroPoint), actMax: 127,
    },
    scratchBytes: 0,
    counters: { macs: 0, bytesRead: tensorBytes(input), bytesWritten: tensorBytes(output) },
  }];
}

export function prepareRelu6(graph: Graph, op: Op<'RELU6'>): PreparedOp[] {
  const { input, output, size } = int8UnaryTensors(graph, op);
  const qi = perTensorQuant(op, input, 'input');
  // TFLite Micro's FloatToQuantizedType(6.0f, scale, zp): float32 division, rounded, clamped to int8.
  const six = Math.min(127, Math.max(-128, roundf(Math.fround(6 / Math.fround(qi.scale))) + qi.zeroPoint));
  return [{
    opIndex: op.index,
    layout: RELU6_S8,
    pointers: { input: { kind: 'tensor', tensor: input.id }, output: { kind: 'tensor', tensor: output.id } },
    scalars: { size, lower: qi.zeroPoint, upper: six },
    scratchBytes: 0,
    counters: { macs: 0, bytesRead: tensorBytes(input), bytesWritten: tensorBytes(output) },
  }];
}
