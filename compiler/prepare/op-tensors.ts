// An op's tensors as prepare needs them: checked dtype, per-tensor quantization, constant contents.
import { elementCount, type DType, type Graph, type Op, type Tensor } from '../../formats/ir/graph.ts';
import { opLabel, PrepareError } from './prepare-error.ts';

export interface TensorQuant {
  scale: number;
  zeroPoint: number;
}

export function opTensor(graph: Graph, op: Op, id: number, role: string): Tensor {
  const t = graph.tensors[id];
  if (id < 0 || !t) throw new PrepareError(`${opLabel(op)}: the ${role} tensor (id ${id}) is missing`);
  return t;
}

export function expectDType(op: Op, t: Tensor, role: string, ...dtypes: DType[]): void {
  if (!dtypes.includes(t.dtype)) {
    throw new PrepareError(
      `${opLabel(op)}: the ${role} tensor '${t.name}' is ${t.dtype}, but only ${dtypes.join(' or ')} is supported here; ` +
      're-export the model with full-integer (int8) quantization',
    );
  }
}

/** The tensor's single scale and zero point; per-axis quantization is refused for activations. */
export function perTensorQuant(op: Op, t: Tensor, role: string): TensorQuant {
  const q = t.quant;
  if (!q || q.scale.length === 0) {
    throw new PrepareError(`${opLabel(op)}: the ${role} tensor '${t.name}' has no quantization parameters; re-export the model with int8 quantization`);
  }
  if (q.scale.length > 1) {
    throw new PrepareError(`${opLabel(op)}: the ${role} tensor '${t.name}' is quantized per axis (${q.scale.length} scales); only per-tensor quantization is supported for it`);
  }
  const scale = q.scale[0];
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new PrepareError(`${opLabel(op)}: the ${role} tensor '${t.name}' has scale ${scale}; a quantization scale must be a positive finite number`);
  }
  return { scale, zeroPoint: q.zeroPoint[0] ?? 0 };
}

/** An element-wise int8 op's input and output (its first of each), and the element count they share. */
export function int8UnaryTensors(graph: Graph, op: Op): { input: Tensor; output: Tensor; size: number } {
  const input = opTensor(graph, op, op.inputs[0], 'input');
  const output = opTensor(graph, op, op.outputs[0], 'output');
  expectDType(op, input, 'input', 'int8');
  expectDType(op, output, 'output', 'int8');
  return { input, output, size: matchingElements(op, input, output) };
}

/** Element count, refusing a mismatch between two tensors that must hold the same elements. */
export function matchingElements(op: Op, a: Tensor, b: Tensor): number {
  const n = elementCount(a.shape);
  const m = elementCount(b.shape);
  if (n !== m) {
    throw new PrepareError(`${opLabel(op)}: '${a.name}' has ${n} elements (shape [${a.shape}]) but '${b.name}' has ${m} (shape [${b.shape}])`);
  }
  return n;
}

/** A constant int32 (or int64 narrowed) tensor's values, e.g. an axis list or a paddings table. */
export function constantInts(op: Op, t: Tensor, role: string): number[] {
  if (!t.data) {
    throw new PrepareError(`${opLabel(op)}: the ${role} tensor '${t.name}' is computed at run time; tinyforge needs it constant in the model`);
  }
  const view = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const n = elementCount(t.shape);
  if (t.dtype === 'int32' && t.data.byteLength >= n * 4) return Array.from({ length: n }, (_, i) => view.getInt32(i * 4, true));
  if (t.dtype === 'int64' && t.data.byteLength >= n * 8) return Array.from({ length: n }, (_, i) => Number(view.getBigInt64(i * 8, true)));
  throw new PrepareError(`${opLabel(op)}: the ${role} tensor '${t.name}' is ${t.dtype}; expected int32 or int64 values`);
}

