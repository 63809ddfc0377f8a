// MAX_POOL_2D int8: the same geometry as average pooling.
import type { Graph, Op } from '../../formats/ir/graph.ts';
import { kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { POOL2D_SCALARS, preparePool2D } from './pool2d-params.ts';

export const MAX_POOL2D_S8 = kernelLayout('max_pool2d_s8', ['input', 'output'], POOL2D_SCALARS);

export function prepareMaxPool2D(graph: Graph, op: Op<'MAX_POOL_2D'>): PreparedOp[] {
  return preparePool2D(graph, op, MAX_POOL2D_S8);
}
