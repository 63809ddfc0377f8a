// The builtin operator version TFLite's op versioning assigns to each op in an int8 model, and the
// oldest TFLite runtime that runs that version (tensorflow/lite/tools/versioning), from which the
// file's `min_runtime_version` metadata is the maximum.
import type { Graph, Op } from '../../../formats/ir/graph.ts';

export function opVersion(graph: Graph, op: Op): number {
  const inType = op.inputs[0] !== undefined && op.inputs[0] >= 0 ? graph.tensors[op.inputs[0]]!.dtype : 'float32';
  const int8 = inType === 'int8';
  switch (op.type) {
    case 'CONV_2D': return int8 ? 3 : 1;
    case 'DEPTHWISE_CONV_2D': return int8 ? 3 : 1;
    case 'FULLY_CONNECTED':
      if ((op.attrs as { keepNumDims: boolean }).keepNumDims) return 5;
      return int8 ? 4 : 1;
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D':
    case 'SOFTMAX':
    case 'ADD':
    case 'MUL':
    case 'PAD':
    case 'MEAN':
    case 'CONCATENATION':
    case 'LOGISTIC':
    case 'TANH':
    case 'RELU':
    case 'RELU6':
      return int8 ? 2 : 1;
    case 'DEQUANTIZE': return int8 ? 2 : 1;
    case 'QUANTIZE': return int8 ? 2 : 1; // int8 → int8 requantize is version 2
    case 'RESHAPE':
    case 'HARD_SWISH':
      return 1;
    case 'BATCH_NORM':
    case 'IDENTITY':
      throw new Error(`${op.type} is an import-only op and cannot be written to a .tflite file`);
  }
}

const RUNTIME: Record<string, string> = {
  'CONV_2D:1': '1.5.0', 'CONV_2D:3': '1.14.0',
  'DEPTHWISE_CONV_2D:1': '1.5.0', 'DEPTHWISE_CONV_2D:3': '1.14.0',
  'FULLY_CONNECTED:1': '1.5.0', 'FULLY_CONNECTED:4': '1.14.0', 'FULLY_CONNECTED:5': '2.0.0',
  'AVERAGE_POOL_2D:1': '1.5.0', 'AVERAGE_POOL_2D:2': '1.14.0',
  'MAX_POOL_2D:1': '1.5.0', 'MAX_POOL_2D:2': '1.14.0',
  'SOFTMAX:1': '1.5.0', 'SOFTMAX:2': '1.14.0',
  'ADD:1': '1.5.0', 'ADD:2': '1.14.0',
  'MUL:1': '1.5.0', 'MUL:2': '1.14.0',
  'PAD:1': '1.5.0', 'PAD:2': '1.14.0',
  'MEAN:1': '1.6.0', 'MEAN:2': '1.14.0',
  'CONCATENATION:1': '1.5.0', 'CONCATENATION:2': '1.14.0',
  'LOGISTIC:1': '1.14.0', 'LOGISTIC:2': '1.14.0',
  'TANH:1': '1.14.0', 'TANH:2': '1.14.0',
  'RELU:1': '1.5.0', 'RELU:2': '2.1.0',
  'RELU6:1': '1.5.0', 'RELU6:2': '1.14.0',
  'DEQUANTIZE:1': '1.13.1', 'DEQUANTIZE:2': '1.14.0',
  'QUANTIZE:1': '1.14.0', 'QUANTIZE:2': '1.15.0',
  'RESHAPE:1': '1.5.0',
  'HARD_SWISH:1': '2.0.0',
};

export function minRuntimeVersion(keys: Iterable<{ op: string; version: number }>): string {
  let best = '1.5.0';
  for (const { op, version } of keys) {
    const v = RUNTIME[`${op}:${version}`];
    if (v === undefined) throw new Error(`no runtime version known for ${op} version ${version}`);
    if (compareVersions(v, best) > 0) best = v;
  }
  return best;
}

function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
