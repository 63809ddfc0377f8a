// MUL int8, TFLite's mul prepare: the product of the offset inputs rescaled by s1·s2/s_out
// (QuantizeMultiplier), the fused activation as a clamp. Element-wise or 6-D broadcast.
import type { Graph, Op } from '../../formats/ir/graph.ts';
import { activationRangeInt8 } from './activation-range.ts';
import { binaryElementwiseCall, binaryOperandsInt8 } from './binary-elementwise.ts';
import { kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { quantizeMultiplier } from './quantize-multiplier.ts';

const MUL_SCALARS = ['input1Offset', 'input2Offset', 'outputMultiplier', 'outputShift', 'outputOffset', 'actMin', 'actMax'] as const;

export const MUL_S8 = kernelLayout('mul_s8', ['input1', 'input2', 'output'], ['size', ...MUL_SCALARS]);
export const MUL_BROADCAST_S8 = kernelLayout('mul_broadcast_s8', ['input1', 'input2', 'output', 'shape'], MUL_SCALARS);

export function prepareMul(graph: Graph, op: Op<'MUL'>): PreparedOp[] {
  const operands = binaryOperandsInt8(graph, op);
  const { qa, qb, qo } = operands;
  const m = quantizeMultiplier((qa.scale * qb.scale) / qo.scale);
  const range = activationRangeInt8(op.attrs.activation, qo.scale, qo.zeroPoint);
  const scalars = {
    input1Offset: 0 - qa.zeroPoint, input2Offset: 0 - qb.zeroPoint, outputMultiplier: m.multiplier, outputShift: m.shift,
    outputOffset: qo.zeroPoint, actMin: range.min, actMax: range.max,
  };
  return binaryElementwiseCall(op, operands, { elementwise: MUL_S8, broadcast: MUL_BROADCAST_S8 }, scalars);
}
