// A BatchNormalization that could not be folded into a conv (it follows an Add, a pooling, the
// input...) becomes y = x × k + b' with per-channel constants k = γ/√(σ²+ε), b' = β − μ·k: a MUL
// and an ADD, both of which have int8 kernels.
import type { Graph, Op, Tensor } from '../../formats/ir/graph.ts';
import { compactGraph } from '../ir/compact-graph.ts';
import { bytesOf, float32Values } from '../ir/tensor-values.ts';
import type { GraphPass } from './graph-pass.ts';

export const lowerBatchNorm: GraphPass = {
  name: 'lower-batch-norm',
  description: 'turn BatchNormalizations left after folding into MUL + ADD by per-channel constants',
  run(graph: Graph): Graph {
    const tensors: Tensor[] = graph.tensors.slice();
    let changed = false;
    const ops = graph.ops.flatMap((op): Op[] => {
      if (op.type !== 'BATCH_NORM') return [op];
      const params = op.inputs.slice(1).map((t) => tensors[t]!);
      if (!params.every((t) => t.data && t.dtype === 'float32')) return [op];
      const [gamma, beta, mean, variance] = params.map(float32Values) as [Float32Array, Float32Array, Float32Array, Float32Array];
      const eps = (op.attrs as { epsilon: number }).epsilon;
      const k = Float32Array.from(gamma, (g, c) => g / Math.sqrt(variance[c]! + eps));
      const b = Float32Array.from(beta, (v, c) => v - mean[c]! * k[c]!);
      const out = tensors[op.outputs[0]!]!;
      const add = (t: Omit<Tensor, 'id'>) => { tensors.push({ ...t, id: tensors.length }); return tensors.length - 1; };
      const kId = add({ name: `${out.name}/scale`, shape: [k.length], dtype: 'float32', data: bytesOf(k) });
      const bId = add({ name: `${out.name}/offset`, shape: [b.length], dtype: 'float32', data: bytesOf(b) });
      const scaled = add({ name: `${out.name}/scaled`, shape: out.shape, dtype: 'float32' });
      changed = true;
      return [
        { index: 0, type: 'MUL', inputs: [op.inputs[0]!, kId], outputs: [scaled], attrs: { activation: 'NONE' } },
        { index: 0, type: 'ADD', inputs: [scaled, bId], outputs: [out.id], attrs: { activation: 'NONE' } },
      ];
    });
    if (!changed) return graph;
    return compactGraph({ ...graph, tensors, ops });
  },
};
