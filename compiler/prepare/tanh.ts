// TANH int8: output scale 1/128, zero point 0.
import type { Graph, Op } from '../../formats/ir/graph.ts';
import { kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { prepareQ4Activation, Q4_ACTIVATION_SCALARS } from './q4-activation.ts';

export const TANH_S8 = kernelLayout('tanh_s8', ['input', 'output'], Q4_ACTIVATION_SCALARS);

export function prepareTanh(graph: Graph, op: Op<'TANH'>): PreparedOp[] {
  return prepareQ4Activation(graph, op, TANH_S8);
}
