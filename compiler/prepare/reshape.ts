// RESHAPE: the same bytes under a new shape; a copy the planner usually makes a no-op by aliasing.
import { tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { opTensor } from './op-tensors.ts';
import { opLabel, PrepareError } from './prepare-error.ts';

export const RESHAPE_S8 = kernelLayout('reshape_s8', ['input', 'output'], ['bytes']);

export function prepareReshape(graph: Graph, op: Op<'RESHAPE'>): PreparedOp[] {
  const input = opTensor(graph, op, op.inputs[0], 'input');
  const output = opTensor(graph, op, op.outputs[0], 'output');
  const bytes = tensorBytes(input);
  if (bytes !== tensorBytes(output) || input.dtype !== output.dtype) {
    throw new PrepareError(`${opLabel(op)}: input [${input.shape}] ${input.dtype} and output [${output.shape}] ${output.dtype} do not hold the same data`);
  }
  return [{
    opIndex: op.index,
    layout: RESHAPE_S8,
    pointers: { input: { kind: 'tensor', tensor: input.id }, output: { kind: 'tensor', tensor: output.id } },
    scalars: { bytes },
    scratchBytes: 0,
    counters: { macs: 0, bytesRead: bytes, bytesWritten: bytes },
  }];
}
