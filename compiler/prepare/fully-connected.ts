// FULLY_CONNECTED (int8, per-tensor or per-channel weights [out, in]) → one `fully_connected_s8` call.
// The input is batches × input_depth whatever its rank; keep_num_dims only changes the output's shape.
import { elementCount, tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { opMacs } from '../ir/macs.ts';
import { activationRangeInt8 } from './activation-range.ts';
import { foldedBias } from './folded-bias.ts';
import { int32Bytes, kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { perChannelMultipliers } from './per-channel-multipliers.ts';
import { opLabel, PrepareError } from './prepare-error.ts';
import { int32Bias, int8Activation, int8Weights } from './quantized-operands.ts';

export const FULLY_CONNECTED_S8 = kernelLayout(
  'fully_connected_s8',
  ['input', 'filter', 'bias', 'folded_bias', 'multipliers', 'shifts', 'output'],
  ['batches', 'input_depth', 'output_depth', 'input_offset', 'output_offset', 'act_min', 'act_max'],
);

/** Rows come straight from the input: no scratch. */
export function fullyConnectedS8ScratchSize(): number {
  return 0;
}

export function prepareFullyConnected(graph: Graph, op: Op<'FULLY_CONNECTED'>): PreparedOp[] {
  const input = int8Activation(graph, op, op.inputs[0], 'input');
  const output = int8Activation(graph, op, op.outputs[0], 'output');
  const filterShape = op.inputs[1] >= 0 ? graph.tensors[op.inputs[1]]?.shape : undefined;
  if (!filterShape || filterShape.length !== 2) {
    throw new PrepareError(`${opLabel(op)}: weights have shape [${filterShape?.join(', ') ?? ''}]; FULLY_CONNECTED needs [outputs, inputs]`);
  }
  const [outDepth, inDepth] = filterShape;
  const weights = int8Weights(graph, op, op.inputs[1], 0, outDepth);
  const inCount = elementCount(input.tensor.shape);
  if (inDepth === 0 || inCount % inDepth !== 0) {
    throw new PrepareError(`${opLabel(op)}: input has ${inCount} values, not a multiple of the weights' ${inDepth} inputs`);
  }
  const batches = inCount / inDepth;
  const outCount = elementCount(output.tensor.shape);
  if (outCount !== batches * outDepth) {
    throw new PrepareError(`${opLabel(op)}: output has ${outCount} values; ${batches} batches × ${outDepth} outputs = ${batches * outDepth} expected`);
  }
  const act = activationRangeInt8(op.attrs.activation, output.scale, output.zeroPoint);
  const bias = int32Bias(graph, op, op.inputs[2], outDepth);
  const { multipliers, shifts } = perChannelMultipliers(input.scale, weights.scales, output.scale, outDepth);
  const inputOffset = -input.zeroPoint;

  const prepared: PreparedOp<(typeof FULLY_CONNECTED_S8.pointers)[number], (typeof FULLY_CONNECTED_S8.scalars)[number]> = {
    opIndex: op.index,
    layout: FULLY_CONNECTED_S8,
    pointers: {
      input: { kind: 'tensor', tensor: input.tensor.id },
      filter: { kind: 'tensor', tensor: weights.tensor.id },
      bias: bias ? { kind: 'tensor', tensor: bias.tensor.id } : { kind: 'none' },
      folded_bias: { kind: 'const', data: int32Bytes(foldedBias(bias?.data, weights.data, outDepth, inDepth, inputOffset)) },
      multipliers: { kind: 'const', data: int32Bytes(multipliers) },
      shifts: { kind: 'const', data: int32Bytes(shifts) },
      output: { kind: 'tensor', tensor: output.tensor.id },
    },
    scalars: {
      batches, input_depth: inDepth, output_depth: outDepth,
      input_offset: inputOffset, output_offset: output.zeroPoint, act_min: act.min, act_max: act.max,
    },
    scratchBytes: fullyConnectedS8ScratchSize(),
    counters: {
      macs: opMacs(graph, op),
      bytesRead: tensorBytes(input.tensor) + tensorBytes(weights.tensor) + outDepth * 4 + outDepth * 8,
      bytesWritten: tensorBytes(output.tensor),
    },
  };
  return [prepared as PreparedOp];
}
