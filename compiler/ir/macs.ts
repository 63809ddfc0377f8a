// Multiply-accumulate counts the way the conformance corpus (and MLPerf Tiny) count them:
// only convolution, depthwise convolution and fully-connected ops; every other op counts 0.
import { elementCount, type Graph, type Op } from '../../formats/ir/graph.ts';

function shapeOf(graph: Graph, id: number | undefined): number[] {
  const t = id === undefined || id < 0 ? undefined : graph.tensors[id];
  return t ? t.shape : [];
}

export function opMacs(graph: Graph, op: Op): number {
  switch (op.type) {
    case 'CONV_2D': {
      // filter [outC, kH, kW, inC], output [N, outH, outW, outC]
      const [, kH = 0, kW = 0, inC = 0] = shapeOf(graph, op.inputs[1]);
      return elementCount(shapeOf(graph, op.outputs[0])) * kH * kW * inC;
    }
    case 'DEPTHWISE_CONV_2D': {
      // filter [1, kH, kW, outC]
      const [, kH = 0, kW = 0] = shapeOf(graph, op.inputs[1]);
      return elementCount(shapeOf(graph, op.outputs[0])) * kH * kW;
    }
    case 'FULLY_CONNECTED': {
      // filter [outUnits, inUnits]; the input is batches x inUnits whatever its rank.
      const [outUnits = 0, inUnits = 0] = shapeOf(graph, op.inputs[1]);
      if (inUnits === 0) return 0;
      const batches = elementCount(shapeOf(graph, op.inputs[0])) / inUnits;
      return batches * outUnits * inUnits;
    }
    default:
      return 0;
  }
}

export function graphMacs(graph: Graph): number {
  return graph.ops.reduce((n, op) => n + opMacs(graph, op), 0);
}
