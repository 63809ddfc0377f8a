// PAD int8 (up to 5-D): constant paddings, filled with the output zero point as TFLite Micro does.
import { tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { int32Bytes, kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { constantInts, perTensorQuant } from './op-tensors.ts';
import { opLabel, PrepareError } from './prepare-error.ts';
import { shapedInt8Operands } from './shaped-int8-operands.ts';

export const PAD_S8 = kernelLayout('pad_s8', ['input', 'output', 'shape'], ['padValue']);

const PAD_RANK = 5;

export function preparePad(graph: Graph, op: Op<'PAD'>): PreparedOp[] {
  const { input, parameter: paddings, output, rank } = shapedInt8Operands(graph, op, 'paddings', PAD_RANK);
  const p = constantInts(op, paddings, 'paddings');
  if (p.length !== rank * 2) {
    throw new PrepareError(`${opLabel(op)}: paddings hold ${p.length} values; a ${rank}-D input needs ${rank}x2`);
  }
  const before: number[] = [];
  for (let d = 0; d < rank; d++) {
    const [lo, hi] = [p[2 * d], p[2 * d + 1]];
    if (lo < 0 || hi < 0) throw new PrepareError(`${opLabel(op)}: dimension ${d} has negative padding (${lo}, ${hi})`);
    if (output.shape[d] !== input.shape[d] + lo + hi) {
      throw new PrepareError(`${opLabel(op)}: output [${output.shape}] does not match input [${input.shape}] padded by [${p}]`);
    }
    before.push(lo);
  }
  if (output.shape.length !== rank) throw new PrepareError(`${opLabel(op)}: output [${output.shape}] and input [${input.shape}] differ in rank`);
  const q = perTensorQuant(op, output, 'output');
  const lead = PAD_RANK - rank;
  const ones = new Array<number>(lead).fill(1);
  const zeros = new Array<number>(lead).fill(0);
  const words = [...ones, ...input.shape, ...zeros, ...before, ...ones, ...output.shape];
  return [{
    opIndex: op.index,
    layout: PAD_S8,
    pointers: {
      input: { kind: 'tensor', tensor: input.id },
      output: { kind: 'tensor', tensor: output.id },
      shape: { kind: 'const', data: int32Bytes(words) },
    },
    scalars: { padValue: q.zeroPoint },
    scratchBytes: 0,
    counters: { macs: 0, bytesRead: tensorBytes(input), bytesWritten: tensorBytes(output) },
  }];
}
