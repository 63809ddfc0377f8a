// Fuses a RELU or RELU6 into the op producing its input (conv, depthwise, fully connected, add,
// mul), as TFLite's fused_activation_function: the int8 kernel then clamps instead of a second op.
import type { Graph, Op } from '../ir/graph.ts';
import type { FusedActivation } from '../ir/op-types.ts';
import { compactGraph, consumersOf, producersOf } from '../ir/compact-graph.ts';
import type { GraphPass } from './graph-pass.ts';

const PRODUCERS = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'ADD', 'MUL']);
const FUSABLE: Partial<Record<string, FusedActivation>> = { RELU: 'RELU', RELU6: 'RELU6' };

export const fuseActivation: GraphPass = {
  name: 'fuse-activation',
  description: 'fuse RELU/RELU6 into the producing conv/depthwise/dense/add/mul op',
  run(graph: Graph): Graph {
    const producers = producersOf(graph);
    const consumers = consumersOf(graph);
    const outputs = new Set(graph.outputs);
    const replaced = new Map<Op, Op>();
    const dropped = new Set<Op>();
    for (const act of graph.ops) {
      const fused = FUSABLE[act.type];
      if (!fused) continue;
      const x = act.inputs[0]!;
      const prod = producers.get(x);
      if (!prod || !PRODUCERS.has(prod.type) || replaced.has(prod)) continue;
      if ((prod.attrs as { activation: FusedActivation }).activation !== 'NONE') continue;
      if (outputs.has(x) || (consumers.get(x)?.length ?? 0) !== 1) continue;
      replaced.set(prod, { ...prod, attrs: { ...prod.attrs, activation: fused } as Op['attrs'], outputs: [act.outputs[0]!] });
      dropped.add(act);
    }
    if (dropped.size === 0) return graph;
    return compactGraph({ ...graph, ops: graph.ops.filter((op) => !dropped.has(op)).map((op) => replaced.get(op) ?? op) });
  },
};
