// Folds a BatchNormalization into the conv, depthwise conv or fully connected op before it:
// w' = w × γ/√(σ²+ε) per output channel, b' = (b − μ) × γ/√(σ²+ε) + β. TFLite's converter does the
// same, so the int8 model has one op (and one rounding) where the float model had two.
import type { Graph, Op, Tensor } from '../../formats/ir/graph.ts';
import { bytesOf, float32Values } from '../ir/tensor-values.ts';
import type { GraphPass } from './graph-pass.ts';
import { mergeIntoProducers } from './merge-into-producer.ts';

const FOLDABLE = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);

export const foldBatchNorm: GraphPass = {
  name: 'fold-batch-norm',
  description: 'fold BatchNormalization into the preceding conv/depthwise/dense op',
  run(graph: Graph): Graph {
    const tensors: Tensor[] = graph.tensors.slice();
    return mergeIntoProducers(graph, {
      merges: (op) => op.type === 'BATCH_NORM',
      producerTypes: FOLDABLE,
      merge: (bn, prod) => fold(bn, prod, tensors),
    }, tensors);
  },
};

/** The producer with the batch norm folded into new weight and bias constants (appended to `tensors`). */
function fold(bn: Op, prod: Op, tensors: Tensor[]): Op | undefined {
  const params = bn.inputs.slice(1).map((t) => tensors[t]!);
  if (!params.every((t) => t.data && t.dtype === 'float32')) return undefined;
  if (!tensors[prod.inputs[1]!]!.data) return undefined;
  const [gamma, beta, mean, variance] = params.map(float32Values) as [Float32Array, Float32Array, Float32Array, Float32Array];
  const eps = (bn.attrs as { epsilon: number }).epsilon;
  const channels = gamma.length;
  const k = Float32Array.from(gamma, (g, c) => g / Math.sqrt(variance[c]! + eps));

  const wT = tensors[prod.inputs[1]!]!;
  const w = float32Values(wT);
  // Output channels are the first axis of conv/FC filters and the last of depthwise filters.
  const lastAxis = prod.type === 'DEPTHWISE_CONV_2D';
  const outC = lastAxis ? wT.shape[wT.shape.length - 1]! : wT.shape[0]!;
  if (outC !== channels) return undefined;
  const perOut = w.length / outC;
  const w2 = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) w2[i] = w[i]! * k[lastAxis ? i % outC : Math.floor(i / perOut)]!;
  const hasBias = prod.inputs[2] !== undefined && prod.inputs[2]! >= 0;
  const b = hasBias ? float32Values(tensors[prod.inputs[2]!]!) : new Float32Array(channels);
  const b2 = Float32Array.from(b, (v, c) => (v - mean[c]!) * k[c]! + beta[c]!);

  const wId = tensors.length;
  tensors.push({ id: wId, name: `${wT.name}/bn_folded`, shape: wT.shape, dtype: 'float32', data: bytesOf(w2) });
  const bId = tensors.length;
  tensors.push({ id: bId, name: `${tensors[bn.outputs[0]!]!.name}/bias`, shape: [channels], dtype: 'float32', data: bytesOf(b2) });
  return { ...prod, inputs: [prod.inputs[0]!, wId, bId], outputs: [bn.outputs[0]!] };
}
