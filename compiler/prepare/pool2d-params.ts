// The int8 pooling kernels' parameters: window geometry from SAME/VALID padding, the fused activation
// as a clamp on the output's scale, and the one kernel call. Shared by AVERAGE_POOL_2D and MAX_POOL_2D.
import { tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { activationRangeInt8 } from './activation-range.ts';
import type { KernelLayout, PreparedOp } from './kernel-layout.ts';
import { expectDType, opTensor, perTensorQuant } from './op-tensors.ts';
import { computePadding } from './padding.ts';
import { opLabel, PrepareError } from './prepare-error.ts';

export const POOL2D_SCALARS = [
  'batches', 'inH', 'inW', 'depth', 'outH', 'outW', 'filterH', 'filterW', 'strideH', 'strideW', 'padH', 'padW',
  'actMin', 'actMax',
] as const;

export type PoolScalars = Record<(typeof POOL2D_SCALARS)[number], number>;

type PoolOp = Op<'AVERAGE_POOL_2D'> | Op<'MAX_POOL_2D'>;

/** The pooling op as one call of `layout` (input, output pointers; the pooling scalars). */
export function preparePool2D(
  graph: Graph, op: PoolOp, layout: KernelLayout<'input' | 'output', (typeof POOL2D_SCALARS)[number]>,
): PreparedOp[] {
  const scalars = poolScalars(graph, op);
  const input = graph.tensors[op.inputs[0]];
  const output = graph.tensors[op.outputs[0]];
  return [{
    opIndex: op.index,
    layout,
    pointers: { input: { kind: 'tensor', tensor: input.id }, output: { kind: 'tensor', tensor: output.id } },
    scalars,
    scratchBytes: 0,
    counters: { macs: 0, bytesRead: tensorBytes(input), bytesWritten: tensorBytes(output) },
  }];
}

/** Shared by average and max pooling: the same geometry, the same checks. */
export function poolScalars(graph: Graph, op: PoolOp): PoolScalars {
  const input = opTensor(graph, op, op.inputs[0], 'input');
  const output = opTensor(graph, op, op.outputs[0], 'output');
  expectDType(op, input, 'input', 'int8');
  expectDType(op, output, 'output', 'int8');
  if (input.shape.length !== 4 || output.shape.length !== 4) {
    throw new PrepareError(`${opLabel(op)}: pooling needs 4-D NHWC tensors, got input [${input.shape}] and output [${output.shape}]`);
  }
  const a = op.attrs;
  if (a.strideH < 1 || a.strideW < 1 || a.filterH < 1 || a.filterW < 1) {
    throw new PrepareError(`${opLabel(op)}: filter ${a.filterH}x${a.filterW} with strides ${a.strideH}x${a.strideW}: all must be at least 1`);
  }
  const [batches, inH, inW, depth] = input.shape;
  const pad = computePadding({ padding: a.padding, inH, inW, filterH: a.filterH, filterW: a.filterW, strideH: a.strideH, strideW: a.strideW });
  const [ob, outH, outW, od] = output.shape;
  if (ob !== batches || od !== depth || outH !== pad.outH || outW !== pad.outW) {
    throw new PrepareError(
      `${opLabel(op)}: output shape [${output.shape}] does not match the ${a.padding} pooling of [${input.shape}] ` +
      `with a ${a.filterH}x${a.filterW} filter and strides ${a.strideH}x${a.strideW} (expected [${batches},${pad.outH},${pad.outW},${depth}])`,
    );
  }
  if (outH < 1 || outW < 1) {
    throw new PrepareError(`${opLabel(op)}: the ${a.filterH}x${a.filterW} filter does not fit the ${inH}x${inW} input with VALID padding`);
  }
  const q = perTensorQuant(op, output, 'output');
  const range = activationRangeInt8(a.activation, q.scale, q.zeroPoint);
  return {
    batches, inH, inW, depth, outH, outW, filterH: a.filterH, filterW: a.filterW, strideH: a.strideH, strideW: a.strideW,
    padH: pad.padH, padW: pad.padW, actMin: range.min, actMax: range.max,
  };
}
