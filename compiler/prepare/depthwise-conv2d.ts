// DEPTHWISE_CONV_2D (int8, per-channel or per-tensor weights) → one `depthwise_conv2d_s8` call.
// Any depth multiplier and dilation; parameters follow TFLite Micro's reference kernel.
import { tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { opMacs } from '../ir/macs.ts';
import { activationRangeInt8 } from './activation-range.ts';
import { int32Bytes, kernelLayout, type PreparedOp } from './kernel-layout.ts';
import { convWindowPadding, nhwcDims } from './conv-window.ts';
import { perChannelMultipliers } from './per-channel-multipliers.ts';
import { opLabel, PrepareError } from './prepare-error.ts';
import { rowStream } from './row-stream.ts';
import { int32Bias, int8Activation, int8Weights } from './quantized-operands.ts';

export const DEPTHWISE_CONV2D_S8 = kernelLayout(
  'depthwise_conv2d_s8',
  ['input', 'filter', 'bias', 'multipliers', 'shifts', 'output'],
  ['batches', 'input_h', 'input_w', 'input_c', 'filter_h', 'filter_w', 'output_h', 'output_w', 'depth_multiplier',
    'stride_h', 'stride_w', 'dilation_h', 'dilation_w', 'pad_h', 'pad_w',
    'input_offset', 'output_offset', 'act_min', 'act_max'],
);

/** The kernel works in registers (channels are the SIMD lanes): no scratch. */
export function depthwiseConv2dS8ScratchSize(): number {
  return 0;
}

/**
 * Passes the WASM SIMD depthwise kernel makes over the image (runtime-as/assembly/kernels/
 * depthwise_conv2d_s8.ts, depthwiseSimd): one per block of 8 and of 4 channels and per channel left over,
 * over all channels when the multiplier is 1, else over each input channel's multiplier outputs.
 */
export function wasmSimdPasses(inC: number, dm: number): number {
  const blocks = (n: number) => Math.floor(n / 8) + (n % 8 >= 4 ? 1 : 0) + (n % 4);
  return dm === 1 ? blocks(inC) : inC * blocks(dm);
}

export function prepareDepthwiseConv2D(graph: Graph, op: Op<'DEPTHWISE_CONV_2D'>): PreparedOp[] {
  const a = op.attrs;
  const input = int8Activation(graph, op, op.inputs[0], 'input');
  const output = int8Activation(graph, op, op.outputs[0], 'output');
  const [batches, inH, inW, inC] = nhwcDims(graph, op, input.tensor.id, 'input');
  const [outN, outH, outW, outC] = nhwcDims(graph, op, output.tensor.id, 'output');
  const weights = int8Weights(graph, op, op.inputs[1], 3, outC);
  const [one, filterH, filterW, filterC] = nhwcDims(graph, op, weights.tensor.id, 'weights');
  if (one !== 1 || filterC !== outC) {
    throw new PrepareError(`${opLabel(op)}: weights have shape [${[one, filterH, filterW, filterC].join(', ')}]; expected [1, kh, kw, ${outC}]`);
  }
  const dm = a.depthMultiplier;
  if (!Number.isInteger(dm) || dm < 1 || inC * dm !== outC) {
    throw new PrepareError(`${opLabel(op)}: depth multiplier ${dm} with ${inC} input channels does not give the output's ${outC} channels`);
  }
  if (outN !== batches) throw new PrepareError(`${opLabel(op)}: output batch ${outN} differs from input batch ${batches}`);
  const pad = convWindowPadding(op, a, { inH, inW }, { filterH, filterW }, { outH, outW });
  const act = activationRangeInt8(a.activation, output.scale, output.zeroPoint);
  const bias = int32Bias(graph, op, op.inputs[2], outC);
  const { multipliers, shifts } = perChannelMultipliers(input.scale, weights.scales, output.scale, outC);

  const prepared: PreparedOp<(typeof DEPTHWISE_CONV2D_S8.pointers)[number], (typeof DEPTHWISE_CONV2D_S8.scalars)[number]> = {
    opIndex: op.index,
    layout: DEPTHWISE_CONV2D_S8,
    pointers: {
      input: { kind: 'tensor', tensor: input.tensor.id },
      filter: { kind: 'tensor', tensor: weights.tensor.id },
      bias: bias ? { kind: 'tensor', tensor: bias.tensor.id } : { kind: 'none' },
      multipliers: { kind: 'const', data: int32Bytes(multipliers) },
      shifts: { kind: 'const', data: int32Bytes(shifts) },
      output: { kind: 'tensor', tensor: output.tensor.id },
    },
    scalars: {
      batches, input_h: inH, input_w: inW, input_c: inC, filter_h: filterH, filter_w: filterW,
      output_h: outH, output_w: outW, depth_multiplier: dm,
      stride_h: a.strideH, stride_w: a.strideW, dilation_h: a.dilationH, dilation_w: a.dilationW,
      pad_h: pad.padH, pad_w: pad.padW,
      input_offset: -input.zeroPoint, output_offset: output.zeroPoint, act_min: act.min, act_max: act.max,
    },
    scratchBytes: depthwiseConv2dS8ScratchSize(),
    counters: {
      macs: opMacs(graph, op),
      bytesRead: tensorBytes(input.tensor) + tensorBytes(weights.tensor) + (bias ? outC * 4 : 0) + outC * 8,
      bytesWritten: tensorBytes(output.tensor),
    },
  };
  // Only a kernel that makes one pass over the image streams rows. The C kernel's 3×3 block path (depth
  // multiplier 1, undilated) walks 4 channels at a time over the whole image, and the WASM SIMD kernel
  // one block of channels at a time (wasmSimdPasses), so those outputs must not overlap their input.
  const c3x3Block = dm === 1 && filterH === 3 && filterW === 3 && a.dilationH === 1 && a.dilationW === 1;
  const onePass = !c3x3Block && wasmSimdPasses(inC, dm) === 1;
  const stream = onePass ? rowStream(graph, { input: input.tensor.id, output: output.tensor.id }, { strideH: a.strideH, padTop: pad.padH }) : undefined;
  if (stream) prepared.rowStream = stream;
  return [prepared as PreparedOp];
}
