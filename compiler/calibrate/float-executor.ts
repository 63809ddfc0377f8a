// Runs an IR graph in float32 on TensorFlow.js, a batch of samples at a time: the reference the
// quantizer calibrates against and the accuracy report compares with. Tensor layouts follow TFLite
// (NHWC activations, conv filters [out, h, w, in], depthwise [1, h, w, channels], FC [out, in]).
import * as tf from '@tensorflow/tfjs';
import type { Graph, Op } from '../../formats/ir/graph.ts';
import type { FusedActivation } from '../../formats/ir/op-types.ts';
import { float32Values, int32Values } from '../ir/tensor-values.ts';

export class FloatExecutionError extends Error {
  override name = 'FloatExecutionError';
}

/** Called with every activation a run produces (graph inputs included), batch first. */
export type TensorVisitor = (tensorId: number, value: tf.Tensor) => void;

export class FloatExecutor {
  private constants = new Map<number, tf.Tensor>();
  /** For each tensor, the position of the last op reading it (to free activations early). */
  private lastUse = new Map<number, number>();

  constructor(readonly graph: Graph) {
    graph.ops.forEach((op, k) => op.inputs.forEach((t) => { if (t >= 0) this.lastUse.set(t, k); }));
    for (const t of graph.outputs) this.lastUse.set(t, Infinity);
  }

  /** Float32 inputs, one per graph input, each holding `batch` samples back to back. */
  run(inputs: Float32Array[], batch: number, visit?: TensorVisitor): Float32Array[] {
    const g = this.graph;
    if (inputs.length !== g.inputs.length) {
      throw new FloatExecutionError(`the model has ${g.inputs.length} input(s), got ${inputs.length}`);
    }
    const live = new Map<number, tf.Tensor>();
    try {
      g.inputs.forEach((id, k) => {
        const shape = [batch, ...g.tensors[id]!.shape.slice(1)];
        const need = shape.reduce((a, b) => a * b, 1);
        if (inputs[k]!.length !== need) {
          throw new FloatExecutionError(`input ${k} '${g.tensors[id]!.name}' needs ${need} floats for ${batch} sample(s) of shape [${g.tensors[id]!.shape.join(', ')}], got ${inputs[k]!.length}`);
        }
        const t = tf.tensor(inputs[k]!, shape, 'float32');
        live.set(id, t);
        visit?.(id, t);
      });
      g.ops.forEach((op, k) => {
        const out = tf.tidy(() => this.evalOp(op, (id) => live.get(id) ?? this.constant(id), batch));
        live.set(op.outputs[0]!, out);
        visit?.(op.outputs[0]!, out);
        for (const id of new Set(op.inputs)) {
          if (id >= 0 && (this.lastUse.get(id) ?? -1) <= k && live.has(id)) { live.get(id)!.dispose(); live.delete(id); }
        }
      });
      return g.outputs.map((id) => {
        const t = live.get(id) ?? this.constant(id);
        return t.dataSync() as Float32Array;
      });
    } finally {
      for (const t of live.values()) t.dispose();
    }
  }

  dispose(): void {
    for (const t of this.constants.values()) t.dispose();
    this.constants.clear();
  }

  private constant(id: number): tf.Tensor {
    let t = this.constants.get(id);
    if (!t) {
      const tensor = this.graph.tensors[id]!;
      if (!tensor.data) throw new FloatExecutionError(`tensor ${id} '${tensor.name}' is read before any op produces it`);
      t = tf.keep(tensor.dtype === 'float32'
        ? tf.tensor(float32Values(tensor), tensor.shape, 'float32')
        : tf.tensor(int32Values(tensor), tensor.shape, 'int32'));
      this.constants.set(id, t);
    }
    return t;
  }

  private evalOp(op: Op, get: (id: number) => tf.Tensor, batch: number): tf.Tensor {
    const g = this.graph;
    const x = () => get(op.inputs[0]!);
    const outShape = () => [batch, ...g.tensors[op.outputs[0]!]!.shape.slice(1)];
    const bias = (y: tf.Tensor, k: number) => (op.inputs[k] !== undefined && op.inputs[k]! >= 0 ? tf.add(y, get(op.inputs[k]!)) : y);
    const a = op.attrs as Record<string, unknown>;
    switch (op.type) {
      case 'CONV_2D': {
        const o = op.attrs as import('../../formats/ir/op-types.ts').Conv2DAttrs;
        const f = tf.transpose(get(op.inputs[1]!), [1, 2, 3, 0]) as tf.Tensor4D;
        const y = tf.conv2d(x() as tf.Tensor4D, f, [o.strideH, o.strideW], pad(o.padding), 'NHWC', [o.dilationH, o.dilationW]);
        return activate(bias(y, 2), o.activation);
      }
      case 'DEPTHWISE_CONV_2D': {
        const o = op.attrs as import('../../formats/ir/op-types.ts').DepthwiseConv2DAttrs;
        const [, kh, kw, oc] = g.tensors[op.inputs[1]!]!.shape as [number, number, number, number];
        const m = o.depthMultiplier || 1;
        const f = tf.reshape(get(op.inputs[1]!), [kh, kw, oc / m, m]) as tf.Tensor4D;
        const y = tf.depthwiseConv2d(x() as tf.Tensor4D, f, [o.strideH, o.strideW], pad(o.padding), 'NHWC', [o.dilationH, o.dilationW]);
        return activate(bias(y, 2), o.activation);
      }
      case 'FULLY_CONNECTED': {
        const w = get(op.inputs[1]!);
        const inUnits = w.shape[1]!;
        const y = tf.matMul(tf.reshape(x(), [-1, inUnits]) as tf.Tensor2D, w as tf.Tensor2D, false, true);
        return tf.reshape(activate(bias(y, 2), a.activation as FusedActivation), outShape());
      }
      case 'AVERAGE_POOL_2D':
      case 'MAX_POOL_2D': {
        const o = op.attrs as import('../../formats/ir/op-types.ts').Pool2DAttrs;
        const fn = op.type === 'MAX_POOL_2D' ? tf.maxPool : tf.avgPool;
        return activate(fn(x() as tf.Tensor4D, [o.filterH, o.filterW], [o.strideH, o.strideW], pad(o.padding)), o.activation);
      }
      case 'SOFTMAX':
        return tf.softmax(tf.mul(x(), (a.beta as number) ?? 1));
      case 'ADD':
        return activate(tf.add(x(), get(op.inputs[1]!)), a.activation as FusedActivation);
      case 'MUL':
        return activate(tf.mul(x(), get(op.inputs[1]!)), a.activation as FusedActivation);
      case 'RESHAPE':
        return tf.reshape(x(), outShape());
      case 'PAD': {
        const p = int32Values(g.tensors[op.inputs[1]!]!);
        const pairs = Array.from({ length: p.length / 2 }, (_, i) => [p[2 * i]!, p[2 * i + 1]!] as [number, number]);
        return tf.pad(x(), pairs);
      }
      case 'MEAN': {
        const axes = Array.from(int32Values(g.tensors[op.inputs[1]!]!));
        return tf.reshape(tf.mean(x(), axes, (a.keepDims as boolean) ?? false), outShape());
      }
      case 'CONCATENATION': {
        const xs = op.inputs.map((id) => get(id));
        const rank = xs[0]!.rank;
        const axis = (a.axis as number) < 0 ? (a.axis as number) + rank : (a.axis as number);
        return activate(tf.concat(xs, axis), a.activation as FusedActivation);
      }
      case 'LOGISTIC': return tf.sigmoid(x());
      case 'TANH': return tf.tanh(x());
      case 'RELU': return tf.relu(x());
      case 'RELU6': return tf.relu6(x());
      case 'HARD_SWISH': return tf.div(tf.mul(x(), tf.relu6(tf.add(x(), 3))), 6);
      case 'BATCH_NORM': {
        const [gamma, beta, mean, variance] = op.inputs.slice(1).map((id) => get(id));
        const eps = (a.epsilon as number) ?? 1e-3;
        return tf.add(tf.mul(tf.div(tf.sub(x(), mean!), tf.sqrt(tf.add(variance!, eps))), gamma!), beta!);
      }
      case 'IDENTITY':
        return tf.clone(x());
      case 'DEQUANTIZE': {
        const t = g.tensors[op.inputs[0]!]!;
        if (t.dtype === 'float32') return tf.clone(x());
        if (!t.quant) throw new FloatExecutionError(`op ${op.index} DEQUANTIZE: input tensor ${t.id} has no quantization parameters`);
        return tf.mul(tf.sub(tf.cast(x(), 'float32'), t.quant.zeroPoint[0]!), t.quant.scale[0]!);
      }
      case 'QUANTIZE':
        throw new FloatExecutionError(`op ${op.index} QUANTIZE has no float meaning; the float executor runs float models only`);
    }
  }
}

function pad(p: 'SAME' | 'VALID'): 'same' | 'valid' {
  return p === 'SAME' ? 'same' : 'valid';
}

function activate(y: tf.Tensor, act: FusedActivation | undefined): tf.Tensor {
  switch (act ?? 'NONE') {
    case 'NONE': return y;
    case 'RELU': return tf.relu(y);
    case 'RELU6': return tf.relu6(y);
    case 'RELU_N1_TO_1': return tf.clipByValue(y, -1, 1);
    case 'TANH': return tf.tanh(y);
    case 'SIGN_BIT': throw new FloatExecutionError('fused activation SIGN_BIT is not supported');
  }
  return y;
}
