// Bias correction (Nagel et al., "Data-Free Quantization", §4.2, empirical variant): the int8
// network's pre-activation outputs are shifted on average by E[Ŵ·x̂] − E[W·x], where Ŵ and x̂
// are the quantized weights and the int8 model's dequantized layer input. Both means are linear in
// the mean input, so they are measured once on the calibration data (mean input maps of the float
// and the int8 run) and each CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED int32 bias absorbs the
// per-channel shift, layer by layer, so fused activations see corrected pre-activation values.
import type { Graph, Op, Tensor } from '../../formats/ir/graph.ts';
import { bytesOf, float32Values, int32Values } from '../ir/tensor-values.ts';
import { FloatExecutor } from '../calibrate/float-executor.ts';
import type { CalibrationData } from '../calibrate/calibration-samples.ts';
import { Int8ReferenceRun } from '../report/int8-reference-run.ts';
import { roundHalfAwayFromZero } from '../prepare/quantize-multiplier.ts';

const CORRECTED = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);

export interface BiasShift {
  opIndex: number;
  /** Mean pre-activation error per output channel, in float units, before correction. */
  shift: Float64Array;
}

/**
 * The int8 graph with every weighted op's bias corrected for the mean output error it shows on
 * `calibration`. `floatGraph` and `int8Graph` share activation tensor ids (as quantizeGraph keeps
 * them): each int8 op is matched with the float op writing the same output tensor.
 */
export function correctBiases(floatGraph: Graph, int8Graph: Graph, calibration: CalibrationData): { graph: Graph; shifts: BiasShift[] } {
  const floatOpOf = new Map(floatGraph.ops.map((op) => [op.outputs[0]!, op]));
  const ops = int8Graph.ops.filter((op) => CORRECTED.has(op.type) && floatOpOf.get(op.outputs[0]!)?.type === op.type);
  if (ops.length === 0 || calibration.samples === 0) return { graph: int8Graph, shifts: [] };
  const floatMean = meanActivations(floatGraph, [...new Set(ops.map((op) => op.inputs[0]!))], calibration, 'float');
  let graph = int8Graph;
  const shifts: BiasShift[] = [];
  // In graph order, each layer measured with the earlier ones already corrected: a layer's shift
  // would otherwise include the error it inherits from its input, corrected twice.
  for (const op of ops) {
    const floatOp = floatOpOf.get(op.outputs[0]!)!;
    const x = op.inputs[0]!;
    const int8Mean = meanActivations(graph, [x], calibration, 'int8');
    const quantized = dequantizedWeights(graph.tensors[op.inputs[1]!]!);
    const ideal = channelMeans(floatGraph, floatOp, float32Values(floatGraph.tensors[floatOp.inputs[1]!]!), floatMean.get(x)!);
    const actual = channelMeans(floatGraph, floatOp, quantized, int8Mean.get(x)!);
    const shift = Float64Array.from(actual, (a, c) => a - ideal[c]!);
    shifts.push({ opIndex: op.index, shift });
    const bias = graph.tensors[op.inputs[2]!];
    if (!bias || !bias.data || !bias.quant) continue;
    const data = Int32Array.from(int32Values(bias));
    const perChannel = bias.quant.scale.length > 1;
    for (let c = 0; c < data.length; c++) {
      const step = bias.quant.scale[perChannel ? c : 0]!;
      const v = data[c]! - roundHalfAwayFromZero(shift[c]! / step);
      data[c] = Math.max(-0x80000000, Math.min(0x7fffffff, v));
    }
    const tensors = graph.tensors.slice();
    tensors[bias.id] = { ...bias, data: bytesOf(data) };
    graph = { ...graph, tensors };
  }
  return { graph, shifts };
}

/** Per-position mean over the samples of each listed tensor, from the float or the int8 model. */
function meanActivations(graph: Graph, ids: number[], data: CalibrationData, kind: 'float' | 'int8'): Map<number, Float64Array> {
  const sums = new Map<number, Float64Array>();
  const add = (id: number, v: ArrayLike<number>, samples: number) => {
    const size = v.length / samples;
    let s = sums.get(id);
    if (!s) { s = new Float64Array(size); sums.set(id, s); }
    for (let i = 0; i < v.length; i++) s[i % size] += v[i]!;
  };
  const wanted = new Set(ids);
  if (kind === 'float') {
    const exec = new FloatExecutor(graph);
    try {
      const batch = 32;
      for (let start = 0; start < data.samples; start += batch) {
        const n = Math.min(batch, data.samples - start);
        exec.run([data.values.subarray(start * data.sampleSize, (start + n) * data.sampleSize)], n, (id, v) => {
          if (wanted.has(id)) add(id, v.dataSync() as Float32Array, n);
        });
      }
    } finally {
      exec.dispose();
    }
  } else {
    const run = new Int8ReferenceRun(graph, ids);
    for (let s = 0; s < data.samples; s++) {
      const out = run.run(data.values.subarray(s * data.sampleSize, (s + 1) * data.sampleSize));
      for (const id of ids) add(id, out.get(id)!, 1);
    }
  }
  for (const s of sums.values()) for (let i = 0; i < s.length; i++) s[i]! /= data.samples;
  return sums;
}

function dequantizedWeights(t: Tensor): Float32Array {
  const q = new Int8Array(t.data!.buffer, t.data!.byteOffset, t.data!.byteLength);
  const scales = t.quant!.scale;
  if (scales.length === 1) return Float32Array.from(q, (v) => v * scales[0]!);
  const axis = t.quant!.axis;
  const inner = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return Float32Array.from(q, (v, i) => v * scales[Math.floor(i / inner) % scales.length]!);
}

/** Mean over output positions, per channel, of `op` applied (bias 0, no activation) to `input`. */
function channelMeans(graph: Graph, op: Op, weights: Float32Array, input: Float64Array): Float64Array {
  const xT = graph.tensors[op.inputs[0]!]!;
  const wT = graph.tensors[op.inputs[1]!]!;
  const yT = graph.tensors[op.outputs[0]!]!;
  const tensors: Tensor[] = [
    { id: 0, name: 'x', shape: xT.shape, dtype: 'float32' },
    { id: 1, name: 'w', shape: wT.shape, dtype: 'float32', data: bytesOf(weights) },
    { id: 2, name: 'y', shape: yT.shape, dtype: 'float32' },
  ];
  const attrs = { ...(op.attrs as object), activation: 'NONE' } as Op['attrs'];
  const single: Graph = { name: 'bias-shift', tensors, inputs: [0], outputs: [2], ops: [{ index: 0, type: op.type, inputs: [0, 1, -1], outputs: [2], attrs }] };
  const exec = new FloatExecutor(single);
  let y: Float32Array;
  try {
    y = exec.run([Float32Array.from(input)], 1)[0]!;
  } finally {
    exec.dispose();
  }
  const channels = yT.shape[yT.shape.length - 1]!;
  const means = new Float64Array(channels);
  for (let i = 0; i < y.length; i++) means[i % channels] += y[i]!;
  const positions = y.length / channels;
  for (let c = 0; c < channels; c++) means[c]! /= positions;
  return means;
}
