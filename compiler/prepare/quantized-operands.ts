// Checks and reads the operands of int8 conv-like ops (conv, depthwise, fully connected):
// int8 activations with per-tensor quantization, int8 symmetric weights, optional int32 bias.
// Each failure is a PrepareError naming the op, the tensor and what TFLite Micro would need.
import type { Graph, Op, Tensor } from '../../formats/ir/graph.ts';
import { opLabel, PrepareError } from './prepare-error.ts';

function tensorOf(graph: Graph, op: Op, id: number | undefined, role: string): Tensor {
  const t = id === undefined || id < 0 ? undefined : graph.tensors[id];
  if (!t) throw new PrepareError(`${opLabel(op)}: the ${role} tensor is missing (tensor id ${id ?? 'none'})`);
  return t;
}

export interface Int8Activation {
  tensor: Tensor;
  scale: number;
  zeroPoint: number;
}

/** An int8 activation (input or output) with one scale and zero point. */
export function int8Activation(graph: Graph, op: Op, id: number | undefined, role: string): Int8Activation {
  const t = tensorOf(graph, op, id, role);
  if (t.dtype !== 'int8') {
    throw new PrepareError(`${opLabel(op)}: ${role} tensor '${t.name}' is ${t.dtype}; only int8 is supported: quantize the model to full int8 (inputs, outputs and activations)`);
  }
  const q = t.quant;
  if (!q || q.scale.length === 0) {
    throw new PrepareError(`${opLabel(op)}: ${role} tensor '${t.name}' has no quantization parameters: quantize the model to full int8`);
  }
  if (q.scale.length !== 1) {
    throw new PrepareError(`${opLabel(op)}: ${role} tensor '${t.name}' has ${q.scale.length} scales; activations need one (per-tensor) scale`);
  }
  if (!(q.scale[0] > 0)) {
    throw new PrepareError(`${opLabel(op)}: ${role} tensor '${t.name}' has scale ${q.scale[0]}; a scale must be positive`);
  }
  const zeroPoint = q.zeroPoint[0] ?? 0;
  if (!Number.isInteger(zeroPoint) || zeroPoint < -128 || zeroPoint > 127) {
    throw new PrepareError(`${opLabel(op)}: ${role} tensor '${t.name}' has zero point ${zeroPoint}, outside int8 [-128, 127]`);
  }
  return { tensor: t, scale: q.scale[0], zeroPoint };
}

export interface Int8Weights {
  tensor: Tensor;
  data: Int8Array;
  /** One scale per output channel, or a single per-tensor scale. */
  scales: number[];
}

/** Constant int8 weights, symmetric (zero point 0), per-tensor or per-channel along `channelAxis`. */
export function int8Weights(graph: Graph, op: Op, id: number | undefined, channelAxis: number, channels: number): Int8Weights {
  const t = tensorOf(graph, op, id, 'weights');
  if (t.dtype !== 'int8') {
    throw new PrepareError(`${opLabel(op)}: weights tensor '${t.name}' is ${t.dtype}; only int8 weights are supported: quantize the model to full int8`);
  }
  if (!t.data) {
    throw new PrepareError(`${opLabel(op)}: weights tensor '${t.name}' is not constant; tinyforge needs constant weights`);
  }
  const q = t.quant;
  if (!q || q.scale.length === 0) {
    throw new PrepareError(`${opLabel(op)}: weights tensor '${t.name}' has no quantization parameters: quantize the model to full int8`);
  }
  if (q.scale.length !== 1 && q.scale.length !== channels) {
    throw new PrepareError(`${opLabel(op)}: weights tensor '${t.name}' has ${q.scale.length} scales for ${channels} output channels (needs 1 or ${channels})`);
  }
  if (q.scale.length > 1 && q.axis !== channelAxis) {
    throw new PrepareError(`${opLabel(op)}: weights tensor '${t.name}' is quantized per channel along axis ${q.axis}; TFLite requires axis ${channelAxis} (the output channels)`);
  }
  const nonZero = q.zeroPoint.find((z) => z !== 0);
  if (nonZero !== undefined) {
    throw new PrepareError(`${opLabel(op)}: weights tensor '${t.name}' has zero point ${nonZero}; int8 weights must be symmetric (zero point 0)`);
  }
  return { tensor: t, data: new Int8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), scales: q.scale };
}

/** The optional int32 bias, one value per output channel; undefined when the op has none. */
export function int32Bias(graph: Graph, op: Op, id: number | undefined, channels: number): { tensor: Tensor; data: Int32Array } | undefined {
  if (id === undefined || id < 0) return undefined;
  const t = tensorOf(graph, op, id, 'bias');
  if (t.dtype !== 'int32') {
    throw new PrepareError(`${opLabel(op)}: bias tensor '${t.name}' is ${t.dtype}; int8 kernels need an int32 bias`);
  }
  if (!t.data) {
    throw new PrepareError(`${opLabel(op)}: bias tensor '${t.name}' is not constant; tinyforge needs a constant bias`);
  }
  const n = t.data.byteLength / 4;
  if (n !== channels) {
    throw new PrepareError(`${opLabel(op)}: bias tensor '${t.name}' has ${n} values for ${channels} output channels`);
  }
  // Copy: the tensor bytes may not be 4-aligned.
  const data = new Int32Array(channels);
  new Uint8Array(data.buffer).set(t.data.subarray(0, channels * 4));
  return { tensor: t, data };
}
