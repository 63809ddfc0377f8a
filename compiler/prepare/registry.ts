// Which prepare function turns each IR op into kernel calls. One file per op in this folder.
import type { Graph, Op } from '../ir/graph.ts';
import type { OpType } from '../ir/op-types.ts';
import type { PreparedOp } from './kernel-layout.ts';
import { prepareConv2D } from './conv2d.ts';
import { prepareDepthwiseConv2D } from './depthwise-conv2d.ts';
import { prepareFullyConnected } from './fully-connected.ts';

export type PrepareFn<T extends OpType = OpType> = (graph: Graph, op: Op<T>) => PreparedOp[];

/** Filled in as each op's prepare file lands: `OP_TYPE: prepareX as PrepareFn`. */
export const PREPARE: Partial<Record<OpType, PrepareFn>> = {
  CONV_2D: prepareConv2D as PrepareFn,
  DEPTHWISE_CONV_2D: prepareDepthwiseConv2D as PrepareFn,
  FULLY_CONNECTED: prepareFullyConnected as PrepareFn,
};
