// What MEAN and PAD prepare share: an int8 input, a constant parameter tensor (axes, paddings) and
// an int8 output, the input's rank within what the kernel's fixed-rank walk handles.
import type { Graph, Op, Tensor } from '../../formats/ir/graph.ts';
import { expectDType, opTensor } from './op-tensors.ts';
import { opLabel, PrepareError } from './prepare-error.ts';

export interface ShapedInt8Operands {
  input: Tensor;
  /** The second input: the constant that shapes the op (MEAN's axes, PAD's paddings). */
  parameter: Tensor;
  output: Tensor;
  rank: number;
}

export function shapedInt8Operands(graph: Graph, op: Op, parameterRole: string, maxRank: number): ShapedInt8Operands {
  const input = opTensor(graph, op, op.inputs[0], 'input');
  const parameter = opTensor(graph, op, op.inputs[1], parameterRole);
  const output = opTensor(graph, op, op.outputs[0], 'output');
  expectDType(op, input, 'input', 'int8');
  expectDType(op, output, 'output', 'int8');
  const rank = input.shape.length;
  if (rank > maxRank) throw new PrepareError(`${opLabel(op)}: input [${input.shape}] has ${rank} dimensions; ${op.type} supports at most ${maxRank}`);
  return { input, parameter, output, rank };
}
