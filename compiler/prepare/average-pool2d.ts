// AVERAGE_POOL_2D int8: TFLite Micro's reference kernel with compile-time geometry and clamp.
import type { Graph, Op } from '../../formats/ir/graph.ts';
import { kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { POOL2D_SCALARS, preparePool2D } from './pool2d-params.ts';

export const AVG_POOL2D_S8 = kernelLayout('avg_pool2d_s8', ['input', 'output'], POOL2D_SCALARS);

export function prepareAveragePool2D(graph: Graph, op: Op<'AVERAGE_POOL_2D'>): PreparedOp[] {
  return preparePool2D(graph, op, AVG_POOL2D_S8);
}
