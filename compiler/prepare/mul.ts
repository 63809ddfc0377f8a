// MUL int8, TFLite's mul prepare: the product of the offset inputs rescaled by s1·s2/s_out
// (QuantizeMultiplier), the fused activation as a clamp. Element-wise or 6-D broadcast.
import { elementCount, tensorBytes, type Graph, type Op } from '../ir/graph.ts';
import { activationRangeInt8 } from './activation-range.ts';
import { broadcastShape, broadcastShapeWords } from './broadcast-shape.ts';
import { int32Bytes, kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { expectDType, opTensor, perTensorQuant } from './op-tensors.ts';
import { opLabel, PrepareError } from './prepare-error.ts';
import { quantizeMultiplier } from './quantize-multiplier.ts';

const MUL_SCALARS = ['input1Offset', 'input2Offset', 'outputMultiplier', 'outputShift', 'outputOffset', 'actMin', 'actMax'] as const;

export const MUL_S8 = kernelLayout('mul_s8', ['input1', 'input2', 'output'], ['size', ...MUL_SCALARS]);
export const MUL_BROADCAST_S8 = kernelLayout('mul_broadcast_s8', ['input1', 'input2', 'output', 'shape'], MUL_SCALARS);

export function prepareMul(graph: Graph, op: Op<'MUL'>): PreparedOp[] {
  const a = opTensor(graph, op, op.inputs[0], 'first input');
  const b = opTensor(graph, op, op.inputs[1], 'second input');
  const output = opTensor(graph, op, op.outputs[0], 'output');
  for (const [t, role] of [[a, 'first input'], [b, 'second input'], [output, 'output']] as const) expectDType(op, t, role, 'int8');
  const qa = perTensorQuant(op, a, 'first input');
  const qb = perTensorQuant(op, b, 'second input');
  const qo = perTensorQuant(op, output, 'output');
  const m = quantizeMultiplier((qa.scale * qb.scale) / qo.scale);
  const range = activationRangeInt8(op.attrs.activation, qo.scale, qo.zeroPoint);
  const scalars = {
    input1Offset: 0 - qa.zeroPoint, input2Offset: 0 - qb.zeroPoint, outputMultiplier: m.multiplier, outputShift: m.shift,
    outputOffset: qo.zeroPoint, actMin: range.min, actMax: range.max,
  };
  const n = elementCount(output.shape);
  const counters = { macs: 0, bytesRead: tensorBytes(a) + tensorBytes(b), bytesWritten: tensorBytes(output) };
  const pointers = { input1: { kind: 'tensor', tensor: a.id }, input2: { kind: 'tensor', tensor: b.id }, output: { kind: 'tensor', tensor: output.id } } as const;
  if (elementCount(a.shape) === n && elementCount(b.shape) === n) {
    return [{ opIndex: op.index, layout: MUL_S8, pointers, scalars: { size: n, ...scalars }, scratchBytes: 0, counters }];
  }
  const walk = broadcastShape(a.shape, b.shape, output.shape);
  if (typeof walk === 'string') throw new PrepareError(`${opLabel(op)}: cannot broadcast: ${walk}`);
  return [{
    opIndex: op.index,
    layout: MUL_BROADCAST_S8,
    pointers: { ...pointers, shape: { kind: 'const', data: int32Bytes(broadcastShapeWords(walk)) } },
    scalars,
    scratchBytes: 0,
    counters,
  }];
}
