// The prepare shared by int8 LOGISTIC and TANH: the input rescaled to Q4.27 (scale · 2^27 as a frexp
// Q31 multiplier and shift), the radius beyond which the output saturates. The kernels write a fixed
// output encoding (logistic: 1/256 with zero point -128; tanh: 1/128 with 0); TFLite Micro checks only
// the logistic output zero point, so only that is refused here.
import { tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { calculateInputRadius } from './input-radius-scaling.ts';
import { quantizeMultiplier } from './quantize-multiplier.ts';
import type { KernelLayout, PreparedOp } from './kernel-layout.ts';
import { int8UnaryTensors, perTensorQuant } from './op-tensors.ts';
import { opLabel, PrepareError } from './prepare-error.ts';

export const Q4_ACTIVATION_SCALARS = ['size', 'inputZeroPoint', 'inputRangeRadius', 'inputMultiplier', 'inputLeftShift'] as const;

const INPUT_INTEGER_BITS = 4;

export function prepareQ4Activation(
  graph: Graph, op: Op<'LOGISTIC'> | Op<'TANH'>, layout: KernelLayout,
  requiredOutputZeroPoint?: number,
): PreparedOp[] {
  const { input, output: out, size } = int8UnaryTensors(graph, op);
  const qi = perTensorQuant(op, input, 'input');
  const qo = perTensorQuant(op, out, 'output');
  if (requiredOutputZeroPoint !== undefined && qo.zeroPoint !== requiredOutputZeroPoint) {
    throw new PrepareError(
      `${opLabel(op)}: an int8 ${op.type} output must have zero point ${requiredOutputZeroPoint} (as TFLite Micro requires), ` +
      `got ${qo.zeroPoint}; re-quantize the model with the TFLite converter`,
    );
  }
  const m = quantizeMultiplier(qi.scale * 2 ** (31 - INPUT_INTEGER_BITS));
  if (m.shift < 0 || m.shift > 31) {
    throw new PrepareError(`${opLabel(op)}: input scale ${qi.scale} is outside the range TFLite's fixed-point ${op.type} handles (2^-27 to 16)`);
  }
  return [{
    opIndex: op.index,
    layout,
    pointers: { input: { kind: 'tensor', tensor: input.id }, output: { kind: 'tensor', tensor: out.id } },
    scalars: {
      size, inputZeroPoint: qi.zeroPoint, inputRangeRadius: calculateInputRadius(INPUT_INTEGER_BITS, m.shift),
      inputMultiplier: m.multiplier, inputLeftShift: m.shift,
    },
    scratchBytes: 0,
    counters: { macs: 0, bytesRead: tensorBytes(input), bytesWritten: tensorBytes(out) },
  }];
}
