// SOFTMAX int8 → int8: TFLite's PreprocessSoftmaxScaling (beta · input scale in Q5.26, as a Q31
// multiplier and left shift) and diff_min = -CalculateInputRadius(5, left_shift).
import { elementCount, tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { int8UnaryTensors, perTensorQuant } from './op-tensors.ts';
import { opLabel, PrepareError } from './prepare-error.ts';
import { calculateInputRadius } from './input-radius-scaling.ts';
import { quantizeMultiplier } from './quantize-multiplier.ts';

export const SOFTMAX_S8 = kernelLayout('softmax_s8', ['input', 'output'], ['rows', 'depth', 'inputMultiplier', 'inputLeftShift', 'diffMin']);

const SCALED_DIFF_INTEGER_BITS = 5;

export function softmaxScaling(beta: number, inputScale: number): { inputMultiplier: number; inputLeftShift: number; diffMin: number } {
  const real = Math.min(beta * inputScale * 2 ** (31 - SCALED_DIFF_INTEGER_BITS), 2 ** 31 - 1);
  const q = quantizeMultiplier(real);
  return {
    inputMultiplier: q.multiplier,
    inputLeftShift: q.shift,
    diffMin: -calculateInputRadius(SCALED_DIFF_INTEGER_BITS, q.shift),
  };
}

export function prepareSoftmax(graph: Graph, op: Op<'SOFTMAX'>): PreparedOp[] {
  const { input, output, size } = int8UnaryTensors(graph, op);
  const inQ = perTensorQuant(op, input, 'input');
  const outQ = perTensorQuant(op, output, 'output');
  if (outQ.zeroPoint !== -128 || outQ.scale !== 1 / 256) {
    throw new PrepareError(
      `${opLabel(op)}: an int8 softmax output must have scale 1/256 and zero point -128 (as TFLite requires), ` +
      `got scale ${outQ.scale} and zero point ${outQ.zeroPoint}; re-quantize the model with the TFLite converter`,
    );
  }
  const realMultiplier = op.attrs.beta * inQ.scale * 2 ** (31 - SCALED_DIFF_INTEGER_BITS);
  if (!(realMultiplier > 1)) {
    throw new PrepareError(`${opLabel(op)}: beta ${op.attrs.beta} × input scale ${inQ.scale} is too small (beta·scale·2^26 = ${realMultiplier} must exceed 1)`);
  }
  const depth = input.shape.length > 0 ? input.shape[input.shape.length - 1] : 1;
  const s = softmaxScaling(op.attrs.beta, inQ.scale);
  if (s.inputLeftShift > 31) {
    throw new PrepareError(`${opLabel(op)}: beta ${op.attrs.beta} × input scale ${inQ.scale} needs a left shift of ${s.inputLeftShift} (at most 31 is supported)`);
  }
  return [{
    opIndex: op.index,
    layout: SOFTMAX_S8,
    pointers: { input: { kind: 'tensor', tensor: input.id }, output: { kind: 'tensor', tensor: output.id } },
    scalars: { rows: depth > 0 ? size / depth : 0, depth, ...s },
    scratchBytes: 0,
    counters: { macs: 0, bytesRead: tensorBytes(input), bytesWritten: elementCount(output.shape) },
  }];
}
