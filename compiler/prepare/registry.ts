// Which prepare function turns each IR op into kernel calls. One file per op in this folder.
import type { Graph, Op } from '../ir/graph.ts';
import type { OpType } from '../ir/op-types.ts';
import type { PreparedOp } from './kernel-layout.ts';

export type PrepareFn<T extends OpType = OpType> = (graph: Graph, op: Op<T>) => PreparedOp[];

/** Filled in as each op's prepare file lands: `OP_TYPE: prepareX as PrepareFn`. */
export const PREPARE: Partial<Record<OpType, PrepareFn>> = {
};
