// Float .tflite → float IR. Hybrid models (int8 weights, float activations, as TFLite's
// dynamic-range quantization writes them) and float16 weights are dequantized to float32 here,
// so every later stage sees one kind of float model.
import type { Graph, Tensor } from '../../formats/ir/graph.ts';
import { loadTfliteGraph } from '../tflite/read-tflite.ts';
import { bytesOf } from '../ir/tensor-values.ts';
import { ImportError } from './import-error.ts';
import { halfToFloat } from './float16.ts';

export function importTflite(bytes: Uint8Array, name = 'model'): Graph {
  const graph = loadTfliteGraph(bytes, name);
  const produced = new Set([...graph.inputs, ...graph.ops.flatMap((op) => op.outputs)]);
  const quantizedActivations = graph.tensors.filter((t) => produced.has(t.id) && t.dtype !== 'float32');
  if (quantizedActivations.length > 0) {
    const t = quantizedActivations[0]!;
    throw new ImportError(`${name}: tensor ${t.id} '${t.name}' is a ${t.dtype} activation (and ${quantizedActivations.length - 1} more): ` +
      'the model is already quantized. Run it as it is (tinyforge run) or give the float model to compile.');
  }
  const tensors = graph.tensors.map((t) => (t.data && !produced.has(t.id) ? floatConstant(t) : t));
  return { ...graph, tensors };
}

function floatConstant(t: Tensor): Tensor {
  if (t.dtype === 'float16') {
    const dv = new DataView(t.data!.buffer, t.data!.byteOffset, t.data!.byteLength);
    const out = Float32Array.from({ length: t.data!.byteLength / 2 }, (_, i) => halfToFloat(dv.getUint16(i * 2, true)));
    return { id: t.id, name: t.name, shape: t.shape, dtype: 'float32', data: bytesOf(out) };
  }
  if ((t.dtype === 'int8' || t.dtype === 'uint8' || t.dtype === 'int16') && t.quant) {
    return { id: t.id, name: t.name, shape: t.shape, dtype: 'float32', data: bytesOf(dequantize(t)) };
  }
  return t;
}

/** (q - zeroPoint) × scale, per slice along the quantized axis when per-axis. */
function dequantize(t: Tensor): Float32Array {
  const q = t.quant!;
  const d = t.data!;
  const n = t.shape.reduce((a, b) => a * b, 1);
  const read = t.dtype === 'int8' ? (i: number) => (d[i]! << 24) >> 24
    : t.dtype === 'uint8' ? (i: number) => d[i]!
      : (i: number) => ((d[2 * i]! | (d[2 * i + 1]! << 8)) << 16) >> 16;
  const inner = q.scale.length > 1 ? t.shape.slice(q.axis + 1).reduce((a, b) => a * b, 1) : 1;
  const channels = q.scale.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = channels > 1 ? Math.floor(i / inner) % channels : 0;
    out[i] = (read(i) - (q.zeroPoint[c] ?? 0)) * q.scale[c]!;
  }
  return out;
}
