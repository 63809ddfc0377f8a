// What ADD and MUL prepare share: two int8 per-tensor-quantized inputs and an int8 output, and one
// kernel call that runs element-wise when both inputs hold as many elements as the output, else
// through the 6-D broadcast walk (the same scalars plus the walk's shape table).
import { elementCount, tensorBytes, type Graph, type Op, type Tensor } from '../../formats/ir/graph.ts';
import { broadcastShape, broadcastShapeWords } from './broadcast-shape.ts';
import { int32Bytes, type KernelLayout, type PreparedOp } from './kernel-layout.ts';
import { expectDType, opTensor, perTensorQuant, type TensorQuant } from './op-tensors.ts';
import { opLabel, PrepareError } from './prepare-error.ts';

export interface BinaryOperands {
  a: Tensor;
  b: Tensor;
  output: Tensor;
  qa: TensorQuant;
  qb: TensorQuant;
  qo: TensorQuant;
}

/** The op's two inputs and output, refused unless all are int8 with per-tensor quantization. */
export function binaryOperandsInt8(graph: Graph, op: Op): BinaryOperands {
  const a = opTensor(graph, op, op.inputs[0], 'first input');
  const b = opTensor(graph, op, op.inputs[1], 'second input');
  const output = opTensor(graph, op, op.outputs[0], 'output');
  for (const [t, role] of [[a, 'first input'], [b, 'second input'], [output, 'output']] as const) expectDType(op, t, role, 'int8');
  return {
    a, b, output,
    qa: perTensorQuant(op, a, 'first input'),
    qb: perTensorQuant(op, b, 'second input'),
    qo: perTensorQuant(op, output, 'output'),
  };
}

type BinaryPointer = 'input1' | 'input2' | 'output';

/** The one kernel call: `elementwise` (scalars plus `size`) or `broadcast` (scalars, pointer `shape`). */
export function binaryElementwiseCall<S extends string>(
  op: Op,
  { a, b, output }: BinaryOperands,
  layouts: { elementwise: KernelLayout<BinaryPointer, S | 'size'>; broadcast: KernelLayout<BinaryPointer | 'shape', S> },
  scalars: Record<S, number>,
): PreparedOp[] {
  const n = elementCount(output.shape);
  const counters = { macs: 0, bytesRead: tensorBytes(a) + tensorBytes(b), bytesWritten: tensorBytes(output) };
  const pointers = { input1: { kind: 'tensor', tensor: a.id }, input2: { kind: 'tensor', tensor: b.id }, output: { kind: 'tensor', tensor: output.id } } as const;
  if (elementCount(a.shape) === n && elementCount(b.shape) === n) {
    return [{ opIndex: op.index, layout: layouts.elementwise, pointers, scalars: { size: n, ...scalars } as Record<S | 'size', number>, scratchBytes: 0, counters }];
  }
  const walk = broadcastShape(a.shape, b.shape, output.shape);
  if (typeof walk === 'string') throw new PrepareError(`${opLabel(op)}: cannot broadcast: ${walk}`);
  return [{
    opIndex: op.index,
    layout: layouts.broadcast,
    pointers: { ...pointers, shape: { kind: 'const', data: int32Bytes(broadcastShapeWords(walk)) } },
    scalars,
    scratchBytes: 0,
    counters,
  }];
}
