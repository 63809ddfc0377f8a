// MEAN int8 over constant axes, as TFLite Micro's reference: equal input/output quantization gives
// sum / count truncated; otherwise the float32 rescale with scale = s_in/s_out and bias = -zp_in·scale.
import { elementCount, tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { floatBits, int32Bytes, kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { constantInts, perTensorQuant } from './op-tensors.ts';
import { opLabel, PrepareError } from './prepare-error.ts';
import { shapedInt8Operands } from './shaped-int8-operands.ts';

export const MEAN_S8 = kernelLayout('mean_s8', ['input', 'output', 'shape', 'scratch'],
  ['outputs', 'count', 'sameQuantization', 'outputZeroPoint', 'scaleBits', 'biasBits']);

const MEAN_RANK = 5;

export function prepareMean(graph: Graph, op: Op<'MEAN'>): PreparedOp[] {
  const { input, parameter: axisTensor, output, rank } = shapedInt8Operands(graph, op, 'axis', MEAN_RANK);
  const reduced = new Set<number>();
  for (const a of constantInts(op, axisTensor, 'axis')) {
    if (a < -rank || a >= rank) throw new PrepareError(`${opLabel(op)}: axis ${a} is out of range for the ${rank}-D input [${input.shape}]`);
    reduced.add(a < 0 ? a + rank : a);
  }
  const dims = [...new Array<number>(MEAN_RANK - rank).fill(1), ...input.shape];
  const reducedPadded = new Set([...reduced].map((a) => a + MEAN_RANK - rank));
  // Output element strides over the kept dims, in order; 0 on reduced dims.
  const strides = new Array<number>(MEAN_RANK).fill(0);
  let step = 1;
  for (let d = MEAN_RANK - 1; d >= 0; d--) {
    if (reducedPadded.has(d)) continue;
    strides[d] = step;
    step *= dims[d];
  }
  const outputs = step;
  if (outputs !== elementCount(output.shape)) {
    throw new PrepareError(`${opLabel(op)}: output [${output.shape}] does not hold the ${outputs} means of [${input.shape}] over axes [${[...reduced]}]`);
  }
  let count = 1;
  for (const a of reduced) count *= input.shape[a];
  if (count === 0) throw new PrepareError(`${opLabel(op)}: the reduced axes of [${input.shape}] are empty`);
  const qi = perTensorQuant(op, input, 'input');
  const qo = perTensorQuant(op, output, 'output');
  const same = qi.zeroPoint === qo.zeroPoint && qi.scale === qo.scale;
  const scale = Math.fround(Math.fround(qi.scale) / Math.fround(qo.scale));
  const bias = Math.fround((0 - qi.zeroPoint) * scale); // C negates the int zero point: never -0
  return [{
    opIndex: op.index,
    layout: MEAN_S8,
    pointers: {
      input: { kind: 'tensor', tensor: input.id },
      output: { kind: 'tensor', tensor: output.id },
      shape: { kind: 'const', data: int32Bytes([...dims, ...strides]) },
      scratch: { kind: 'scratch' },
    },
    scalars: {
      outputs, count, sameQuantization: same ? 1 : 0, outputZeroPoint: qo.zeroPoint,
      scaleBits: floatBits(scale), biasBits: floatBits(bias),
    },
    scratchBytes: outputs * 4,
    counters: { macs: 0, bytesRead: tensorBytes(input), bytesWritten: tensorBytes(output) },
  }];
}
