// Evaluates ops whose inputs are all constants (a Reshape of a weight, a DEQUANTIZE of float16
// weights, arithmetic on constants) once at compile time and replaces them with their result.
import type { Graph, Tensor } from '../../formats/ir/graph.ts';
import { compactGraph } from '../ir/compact-graph.ts';
import { bytesOf } from '../ir/tensor-values.ts';
import { FloatExecutor } from '../calibrate/float-executor.ts';
import type { GraphPass } from './graph-pass.ts';

export const foldConstants: GraphPass = {
  name: 'fold-constants',
  description: 'evaluate constant sub-graphs at compile time',
  run(graph: Graph): Graph {
    const tensors: Tensor[] = graph.tensors.slice();
    const isConst = (t: number) => t < 0 || tensors[t]!.data !== undefined;
    const ops = graph.ops.filter((op) => {
      if (!op.inputs.every(isConst) || op.outputs.length !== 1 || op.inputs.every((t) => t < 0)) return true;
      const out = tensors[op.outputs[0]!]!;
      const mini: Graph = { name: `${graph.name}/fold`, tensors, ops: [op], inputs: [], outputs: [out.id] };
      const exec = new FloatExecutor(mini);
      try {
        const [value] = exec.run([], out.shape[0] ?? 1);
        tensors[out.id] = { id: out.id, name: out.name, shape: out.shape, dtype: 'float32', data: bytesOf(Float32Array.from(value!)) };
      } finally {
        exec.dispose();
      }
      return false;
    });
    if (ops.length === graph.ops.length) return graph;
    return compactGraph({ ...graph, tensors, ops });
  },
};
