// LOGISTIC int8: output scale 1/256, zero point -128.
import type { Graph, Op } from '../../formats/ir/graph.ts';
import { kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { prepareQ4Activation, Q4_ACTIVATION_SCALARS } from './q4-activation.ts';

export const LOGISTIC_S8 = kernelLayout('logistic_s8', ['input', 'output'], Q4_ACTIVATION_SCALARS);

export function prepareLogistic(graph: Graph, op: Op<'LOGISTIC'>): PreparedOp[] {
  return prepareQ4Activation(graph, op, LOGISTIC_S8, -128);
}
