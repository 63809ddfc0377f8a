// Fuses a RELU or RELU6 into the op producing its input (conv, depthwise, fully connected, add,
// mul), as TFLite's fused_activation_function: the int8 kernel then clamps instead of a second op.
import type { Graph, Op } from '../../formats/ir/graph.ts';
import type { FusedActivation } from '../../formats/ir/op-types.ts';
import type { GraphPass } from './graph-pass.ts';
import { mergeIntoProducers } from './merge-into-producer.ts';

const PRODUCERS = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'ADD', 'MUL']);
const FUSABLE: Partial<Record<string, FusedActivation>> = { RELU: 'RELU', RELU6: 'RELU6' };

export const fuseActivation: GraphPass = {
  name: 'fuse-activation',
  description: 'fuse RELU/RELU6 into the producing conv/depthwise/dense/add/mul op',
  run(graph: Graph): Graph {
    return mergeIntoProducers(graph, {
      merges: (op) => FUSABLE[op.type] !== undefined,
      producerTypes: PRODUCERS,
      merge: (act, prod) => ({ ...prod, attrs: { ...prod.attrs, activation: FUSABLE[act.type]! } as Op['attrs'], outputs: [act.outputs[0]!] }),
    });
  },
};
