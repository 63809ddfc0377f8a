// ADD int8, TFLite's add prepare: inputs shifted left by 20 and rescaled to twice the larger input
// scale (QuantizeMultiplierSmallerThanOneExp), the sum rescaled to the output, the fused activation
// as a clamp. Same-size inputs run element-wise; others through the 6-D broadcast walk.
import type { Graph, Op } from '../../formats/ir/graph.ts';
import { activationRangeInt8 } from './activation-range.ts';
import { binaryElementwiseCall, binaryOperandsInt8 } from './binary-elementwise.ts';
import { kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { opLabel, PrepareError } from './prepare-error.ts';
import { quantizeMultiplierSmallerThanOne } from './quantize-multiplier.ts';

const ADD_SCALARS = [
  'input1Offset', 'input2Offset', 'leftShift', 'input1Multiplier', 'input1Shift', 'input2Multiplier', 'input2Shift',
  'outputMultiplier', 'outputShift', 'outputOffset', 'actMin', 'actMax',
] as const;

export const ADD_S8 = kernelLayout('add_s8', ['input1', 'input2', 'output'], ['size', ...ADD_SCALARS]);
export const ADD_BROADCAST_S8 = kernelLayout('add_broadcast_s8', ['input1', 'input2', 'output', 'shape'], ADD_SCALARS);

const LEFT_SHIFT_INT8 = 20;

export function addScalars(s1: number, z1: number, s2: number, z2: number, sOut: number, zOut: number, range: { min: number; max: number }): Record<(typeof ADD_SCALARS)[number], number> {
  const twiceMaxInputScale = 2 * Math.max(s1, s2);
  const in1 = quantizeMultiplierSmallerThanOne(s1 / twiceMaxInputScale);
  const in2 = quantizeMultiplierSmallerThanOne(s2 / twiceMaxInputScale);
  const out = quantizeMultiplierSmallerThanOne(twiceMaxInputScale / (2 ** LEFT_SHIFT_INT8 * sOut));
  return {
    input1Offset: 0 - z1, input2Offset: 0 - z2, leftShift: LEFT_SHIFT_INT8,
    input1Multiplier: in1.multiplier, input1Shift: in1.shift,
    input2Multiplier: in2.multiplier, input2Shift: in2.shift,
    outputMultiplier: out.multiplier, outputShift: out.shift,
    outputOffset: zOut, actMin: range.min, actMax: range.max,
  };
}

export function prepareAdd(graph: Graph, op: Op<'ADD'>): PreparedOp[] {
  const operands = binaryOperandsInt8(graph, op);
  const { qa, qb, qo } = operands;
  const realOutput = (2 * Math.max(qa.scale, qb.scale)) / (2 ** LEFT_SHIFT_INT8 * qo.scale);
  if (!(realOutput < 1)) {
    throw new PrepareError(`${opLabel(op)}: input scales ${qa.scale}, ${qb.scale} are too large for output scale ${qo.scale} (2·max/(2^20·out) = ${realOutput} must be below 1)`);
  }
  const range = activationRangeInt8(op.attrs.activation, qo.scale, qo.zeroPoint);
  const scalars = addScalars(qa.scale, qa.zeroPoint, qb.scale, qb.zeroPoint, qo.scale, qo.zeroPoint, range);
  return binaryElementwiseCall(op, operands, { elementwise: ADD_S8, broadcast: ADD_BROADCAST_S8 }, scalars);
}
