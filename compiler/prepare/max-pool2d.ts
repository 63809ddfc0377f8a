// MAX_POOL_2D int8: the same geometry as average pooling.
import { tensorBytes, type Graph, type Op } from '../ir/graph.ts';
import { kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { POOL2D_SCALARS, poolScalars } from './pool2d-params.ts';

export const MAX_POOL2D_S8 = kernelLayout('max_pool2d_s8', ['input', 'output'], POOL2D_SCALARS);

export function prepareMaxPool2D(graph: Graph, op: Op<'MAX_POOL_2D'>): PreparedOp[] {
  const scalars = poolScalars(graph, op);
  const input = graph.tensors[op.inputs[0]];
  const output = graph.tensors[op.outputs[0]];
  return [{
    opIndex: op.index,
    layout: MAX_POOL2D_S8,
    pointers: { input: { kind: 'tensor', tensor: input.id }, output: { kind: 'tensor', tensor: output.id } },
    scalars,
    scratchBytes: 0,
    counters: { macs: 0, bytesRead: tensorBytes(input), bytesWritten: tensorBytes(output) },
  }];
}
