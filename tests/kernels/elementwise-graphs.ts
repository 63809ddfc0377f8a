// One-op graphs for the int8 element-wise kernels: a unary op (input → output) or a binary op
// (two inputs → output), with given quantization.
import type { Graph } from '../../formats/ir/graph.ts';
import type { DType } from '../../formats/ir/graph.ts';
import type { FusedActivation, OpType } from '../../formats/ir/op-types.ts';
import { GraphBuilder } from '../graph-builder.ts';

export interface Q {
  scale: number;
  zeroPoint: number;
}

const quant = (q: Q) => ({ scale: [q.scale], zeroPoint: [q.zeroPoint], axis: 0 });

export function unaryGraph(type: OpType, shape: number[], qin: Q, qout: Q, dtypes: [DType, DType] = ['int8', 'int8']): { graph: Graph; x: number; y: number } {
  const g = new GraphBuilder();
  const x = g.tensor(shape, dtypes[0], quant(qin));
  const y = g.tensor(shape, dtypes[1], quant(qout));
  g.op(type as 'RELU', [x], [y], {});
  return { graph: g.build([x], [y]), x, y };
}

export function binaryGraph(type: 'ADD' | 'MUL', shapes: [number[], number[], number[]], q: [Q, Q, Q], activation: FusedActivation = 'NONE') {
  const g = new GraphBuilder();
  const a = g.tensor(shapes[0], 'int8', quant(q[0]));
  const b = g.tensor(shapes[1], 'int8', quant(q[1]));
  const y = g.tensor(shapes[2], 'int8', quant(q[2]));
  g.op(type, [a, b], [y], { activation });
  return { graph: g.build([a, b], [y]), a, b, y };
}
