// Float IR + calibrated ranges → int8 IR, per TFLite's int8 quantization specification:
//  - conv / depthwise weights symmetric int8 in [−127, 127] per output channel (or per tensor),
//    fully connected weights per tensor (TFLite's converter default), biases int32 at
//    input_scale × weight_scale with zero point 0;
//  - activations asymmetric int8 from their calibrated range;
//  - SOFTMAX and LOGISTIC outputs fixed at 1/256, −128; TANH at 1/128, 0;
//  - RESHAPE, pooling, PAD, CONCATENATION (and a standalone RELU6) share one scale and zero point
//    between inputs and output (their int8 kernels move values without rescaling), so each such
//    group gets the union of its members' ranges;
//  - int8 model inputs and outputs, or float32 ones with QUANTIZE / DEQUANTIZE at the edges.
// Activation tensor ids are kept; new tensors (edge converters) are appended.
import type { Graph, Op, Quantization, Tensor } from '../../formats/ir/graph.ts';
import { isSupportedOp } from '../../formats/ir/op-types.ts';
import { bytesOf, float32Values, int32Values } from '../ir/tensor-values.ts';
import type { Range } from '../calibrate/range-estimators.ts';
import {
  activationParams, quantizeAffine, quantizeBias, quantizeSymmetric, symmetricScales, type AffineParams,
} from './quantization-params.ts';

export interface QuantizeOptions {
  /** One weight scale per tensor instead of per output channel for conv and depthwise conv. */
  perTensor?: boolean;
  /** Model input/output type (default int8). */
  io?: 'int8' | 'float32';
  /**
   * One weight scale per output row for FULLY_CONNECTED too (TFLite ≥ 2.6 / TFLite Micro accept
   * per-channel int8 FC weights; the converter's default is per tensor).
   */
  perChannelFullyConnected?: boolean;
}

export class QuantizeError extends Error {
  override name = 'QuantizeError';
}

// RELU6 too: TFLite Micro's int8 RELU6 clamps with the input's parameters and does not rescale.
const SHARED_SCALE_OPS = new Set(['RESHAPE', 'MAX_POOL_2D', 'AVERAGE_POOL_2D', 'PAD', 'CONCATENATION', 'RELU6']);
const FIXED_OUTPUT: Partial<Record<string, AffineParams>> = {
  SOFTMAX: { scale: 1 / 256, zeroPoint: -128 },
  LOGISTIC: { scale: 1 / 256, zeroPoint: -128 },
  TANH: { scale: 1 / 128, zeroPoint: 0 },
};
/** The smallest activation scale: 6 / scale must stay far inside int32 (2.8e-9 would overflow). */
const MIN_ACTIVATION_SCALE = 1e-8;
/** Inputs that stay int32 index/shape data. */
const INDEX_INPUTS: Partial<Record<string, number[]>> = { RESHAPE: [1], PAD: [1], MEAN: [1] };

export function quantizeGraph(graph: Graph, ranges: ReadonlyMap<number, Range>, options: QuantizeOptions = {}): Graph {
  const floatOnly = graph.ops.filter((op) => !isSupportedOp(op.type) || op.type === 'QUANTIZE' || op.type === 'DEQUANTIZE');
  if (floatOnly.length > 0) {
    const list = floatOnly.map((op) => `${op.type} (op ${op.index}, output '${graph.tensors[op.outputs[0]!]!.name}')`).join(', ');
    throw new QuantizeError(`${graph.name}: ${floatOnly.length} op(s) cannot be quantized to int8: ${list}. ` +
      'Keep the drop-identity, fold-batch-norm and lower-batch-norm passes enabled (they remove these ops).');
  }
  ({ graph, ranges } = requantizeFixedConcatInputs(graph, ranges));
  const tensors: Tensor[] = graph.tensors.map((t) => ({ ...t }));
  const weightSlots = new Set<string>(); // `${opIndex}:${slot}`
  for (const op of graph.ops) {
    if (op.type === 'CONV_2D' || op.type === 'DEPTHWISE_CONV_2D' || op.type === 'FULLY_CONNECTED') {
      weightSlots.add(`${op.index}:1`).add(`${op.index}:2`);
    }
    for (const k of INDEX_INPUTS[op.type] ?? []) weightSlots.add(`${op.index}:${k}`);
  }

  // Ranges for every int8 value tensor: activations from calibration, other constants from their values.
  const rangeOf = new Map<number, Range>(ranges);
  const valueTensors = new Set<number>([...graph.inputs, ...graph.ops.flatMap((op) => op.outputs)]);
  for (const op of graph.ops) {
    op.inputs.forEach((t, k) => {
      if (t < 0 || weightSlots.has(`${op.index}:${k}`)) return;
      valueTensors.add(t);
      const tensor = graph.tensors[t]!;
      if (tensor.data && !rangeOf.has(t)) {
        let min = Infinity;
        let max = -Infinity;
        for (const x of float32Values(tensor)) { if (x < min) min = x; if (x > max) max = x; }
        rangeOf.set(t, { min, max });
      }
    });
  }
  for (const t of valueTensors) {
    if (!rangeOf.has(t)) throw new QuantizeError(`tensor ${t} '${graph.tensors[t]!.name}' has no calibrated range (calibration never reached it)`);
  }

  // Groups of tensors that must share scale and zero point.
  const parent = new Map<number, number>();
  const find = (t: number): number => {
    const p = parent.get(t) ?? t;
    if (p === t) return t;
    const r = find(p);
    parent.set(t, r);
    return r;
  };
  const union = (a: number, b: number) => { const ra = find(a); const rb = find(b); if (ra !== rb) parent.set(ra, rb); };
  for (const op of graph.ops) {
    if (!SHARED_SCALE_OPS.has(op.type)) continue;
    const members = op.type === 'CONCATENATION' ? op.inputs : [op.inputs[0]!];
    for (const m of members) union(m, op.outputs[0]!);
  }
  const fixedOf = new Map<number, { params: AffineParams; op: Op }>();
  for (const op of graph.ops) {
    const f = FIXED_OUTPUT[op.type];
    if (!f) continue;
    const root = find(op.outputs[0]!);
    const prior = fixedOf.get(root);
    if (prior && (prior.params.scale !== f.scale || prior.params.zeroPoint !== f.zeroPoint)) {
      throw new QuantizeError(`ops ${prior.op.index} (${prior.op.type}) and ${op.index} (${op.type}) need different fixed output parameters for tensors that must share them`);
    }
    fixedOf.set(root, { params: f, op });
  }
  const groupRange = new Map<number, Range>();
  for (const t of valueTensors) {
    const root = find(t);
    const r = rangeOf.get(t)!;
    const g = groupRange.get(root);
    groupRange.set(root, g ? { min: Math.min(g.min, r.min), max: Math.max(g.max, r.max) } : { ...r });
  }
  // TFLite Micro's int8 SOFTMAX needs beta × input scale × 2^26 > 1: a floor on its input's scale.
  // Every scale stays ≥ MIN_ACTIVATION_SCALE so that clamp bounds (6 / scale for RELU6) fit int32,
  // which TFLite checks when it prepares an op.
  const minScale = new Map<number, number>();
  for (const op of graph.ops) {
    if (op.type !== 'SOFTMAX') continue;
    const root = find(op.inputs[0]!);
    const floor = 2 / ((op.attrs as { beta: number }).beta * 2 ** 26);
    minScale.set(root, Math.max(minScale.get(root) ?? 0, floor));
  }
  const paramsOf = (t: number): AffineParams => {
    const root = find(t);
    return fixedOf.get(root)?.params ?? activationParams(groupRange.get(root)!, Math.max(MIN_ACTIVATION_SCALE, minScale.get(root) ?? 0));
  };

  for (const t of valueTensors) {
    const p = paramsOf(t);
    const src = tensors[t]!;
    const quant: Quantization = { scale: [p.scale], zeroPoint: [p.zeroPoint], axis: 0 };
    tensors[t] = src.data
      ? { id: t, name: src.name, shape: src.shape, dtype: 'int8', quant, data: bytesOf(quantizeAffine(float32Values(src), p)) }
      : { id: t, name: src.name, shape: src.shape, dtype: 'int8', quant };
  }

  // Weights, biases and index inputs: each use gets its own tensor if a constant is shared.
  const claimed = new Set<number>();
  const place = (orig: number, t: Omit<Tensor, 'id'>): number => {
    let id = orig;
    if (claimed.has(orig)) id = tensors.length;
    claimed.add(id);
    tensors[id] = { ...t, id };
    return id;
  };
  const ops: Op[] = graph.ops.map((op) => {
    const inputs = op.inputs.slice();
    const constant = (k: number, role: string) => {
      const t = graph.tensors[inputs[k]!]!;
      if (!t.data) throw new QuantizeError(`op ${op.index} (${op.type}): ${role} '${t.name}' is not a constant; tinyforge quantizes constant weights only`);
      return t;
    };
    if (op.type === 'CONV_2D' || op.type === 'DEPTHWISE_CONV_2D' || op.type === 'FULLY_CONNECTED') {
      const w = constant(1, 'filter');
      const values = float32Values(w);
      const axis = options.perTensor || (op.type === 'FULLY_CONNECTED' && !options.perChannelFullyConnected)
        ? undefined
        : op.type === 'DEPTHWISE_CONV_2D' ? w.shape.length - 1 : 0;
      const scales = symmetricScales(values, w.shape, axis);
      const q = quantizeSymmetric(values, w.shape, axis, scales);
      inputs[1] = place(inputs[1]!, {
        name: w.name, shape: w.shape, dtype: 'int8', data: bytesOf(q),
        quant: { scale: scales, zeroPoint: scales.map(() => 0), axis: axis ?? 0 },
      });
      const hasBias = inputs[2] !== undefined && inputs[2]! >= 0;
      // TFLite's int8 conv kernels require a bias tensor; a missing one becomes zeros.
      if (hasBias || op.type !== 'FULLY_CONNECTED') {
        const channels = op.type === 'DEPTHWISE_CONV_2D' ? w.shape[w.shape.length - 1]! : w.shape[0]!;
        const b = hasBias ? constant(2, 'bias') : undefined;
        const inScale = paramsOf(op.inputs[0]!).scale;
        const { data, scales: bScales } = quantizeBias(b ? float32Values(b) : new Float32Array(channels), inScale, scales);
        const bias = {
          name: b?.name ?? `${w.name}/bias`, shape: [channels], dtype: 'int32' as const, data: bytesOf(data),
          quant: { scale: bScales, zeroPoint: bScales.map(() => 0), axis: 0 },
        };
        if (hasBias) {
          inputs[2] = place(inputs[2]!, bias);
        } else {
          inputs[2] = tensors.length;
          tensors.push({ ...bias, id: inputs[2] });
        }
      }
    }
    for (const k of INDEX_INPUTS[op.type] ?? []) {
      if (inputs[k] === undefined || inputs[k]! < 0) continue;
      const t = constant(k, 'index input');
      inputs[k] = place(inputs[k]!, { name: t.name, shape: t.shape, dtype: 'int32', data: bytesOf(Int32Array.from(int32Values(t))) });
    }
    return { ...op, inputs };
  });

  const q: Graph = { name: graph.name, tensors, ops, inputs: graph.inputs.slice(), outputs: graph.outputs.slice() };
  return options.io === 'float32' ? withFloatEdges(q) : q;
}

/**
 * A CONCATENATION input made by an op with fixed output parameters (a SOFTMAX, LOGISTIC or TANH
 * output) cannot share the concatenation's scale; like TFLite's converter, route it through an
 * int8 → int8 QUANTIZE (requantize) whose output joins the shared group instead.
 */
function requantizeFixedConcatInputs(graph: Graph, ranges: ReadonlyMap<number, Range>): { graph: Graph; ranges: ReadonlyMap<number, Range> } {
  const producer = new Map(graph.ops.map((op) => [op.outputs[0]!, op]));
  const tensors = graph.tensors.slice();
  const newRanges = new Map(ranges);
  const ops: Op[] = [];
  for (const op of graph.ops) {
    if (op.type === 'CONCATENATION') {
      const inputs = op.inputs.map((t) => {
        const p = producer.get(t);
        if (!p || !FIXED_OUTPUT[p.type]) return t;
        const id = tensors.length;
        tensors.push({ id, name: `${tensors[t]!.name}/requantized`, shape: tensors[t]!.shape, dtype: tensors[t]!.dtype });
        newRanges.set(id, ranges.get(t)!);
        ops.push({ index: 0, type: 'QUANTIZE', inputs: [t], outputs: [id], attrs: {} });
        return id;
      });
      ops.push({ ...op, inputs });
    } else {
      ops.push(op);
    }
  }
  if (ops.length === graph.ops.length) return { graph, ranges };
  return { graph: { ...graph, tensors, ops: ops.map((op, index) => ({ ...op, index })) }, ranges: newRanges };
}

/** Float32 model inputs/outputs: a QUANTIZE after each input, a DEQUANTIZE before each output. */
function withFloatEdges(g: Graph): Graph {
  const tensors = g.tensors.slice();
  const head: Op[] = [];
  const tail: Op[] = [];
  const floatTwin = (id: number, suffix: string) => {
    const t = tensors[id]!;
    const nid = tensors.length;
    tensors.push({ id: nid, name: `${t.name}${suffix}`, shape: t.shape, dtype: 'float32' });
    return nid;
  };
  const inputs = g.inputs.map((id) => {
    const f = floatTwin(id, '_float');
    head.push({ index: 0, type: 'QUANTIZE', inputs: [f], outputs: [id], attrs: {} });
    return f;
  });
  const outputs = g.outputs.map((id) => {
    const f = floatTwin(id, '_float');
    tail.push({ index: 0, type: 'DEQUANTIZE', inputs: [id], outputs: [f], attrs: {} });
    return f;
  });
  const ops = [...head, ...g.ops, ...tail].map((op, index) => ({ ...op, index }));
  return { ...g, tensors, ops, inputs, outputs };
}
