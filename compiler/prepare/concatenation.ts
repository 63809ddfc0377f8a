// CONCATENATION int8: one block copy per input (TFLite Micro copies bytes without requantizing and
// refuses fused activations).
import { elementCount, tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { expectDType, opTensor } from './op-tensors.ts';
import { opLabel, PrepareError } from './prepare-error.ts';

export const CONCATENATION_S8 = kernelLayout('concatenation_s8', ['input', 'output'], ['outer', 'inputBlock', 'outputBlock', 'outputOffset']);

export function prepareConcatenation(graph: Graph, op: Op<'CONCATENATION'>): PreparedOp[] {
  const output = opTensor(graph, op, op.outputs[0], 'output');
  expectDType(op, output, 'output', 'int8');
  if (op.attrs.activation !== 'NONE') {
    throw new PrepareError(`${opLabel(op)}: fused activation ${op.attrs.activation} on CONCATENATION is not supported (TFLite Micro refuses it too)`);
  }
  const rank = output.shape.length;
  const axis = op.attrs.axis < 0 ? op.attrs.axis + rank : op.attrs.axis;
  if (axis < 0 || axis >= rank) throw new PrepareError(`${opLabel(op)}: axis ${op.attrs.axis} is out of range for the ${rank}-D output [${output.shape}]`);
  const outer = elementCount(output.shape.slice(0, axis));
  const outputBlock = elementCount(output.shape.slice(axis));
  let offset = 0;
  let axisTotal = 0;
  const calls: PreparedOp[] = [];
  op.inputs.forEach((id, k) => {
    const input = opTensor(graph, op, id, `input ${k}`);
    expectDType(op, input, `input ${k}`, 'int8');
    const sameOtherDims = input.shape.length === rank && input.shape.every((d, i) => i === axis || d === output.shape[i]);
    if (!sameOtherDims) {
      throw new PrepareError(`${opLabel(op)}: input ${k} [${input.shape}] does not match output [${output.shape}] outside axis ${axis}`);
    }
    const inputBlock = elementCount(input.shape.slice(axis));
    calls.push({
      opIndex: op.index,
      layout: CONCATENATION_S8,
      pointers: { input: { kind: 'tensor', tensor: input.id }, output: { kind: 'tensor', tensor: output.id } },
      scalars: { outer, inputBlock, outputBlock, outputOffset: offset },
      scratchBytes: 0,
      counters: { macs: 0, bytesRead: tensorBytes(input), bytesWritten: tensorBytes(input) },
    });
    offset += inputBlock;
    axisTotal += input.shape[axis];
  });
  if (axisTotal !== output.shape[axis]) {
    throw new PrepareError(`${opLabel(op)}: inputs add up to ${axisTotal} along axis ${axis}, the output has ${output.shape[axis]}`);
  }
  return calls;
}
