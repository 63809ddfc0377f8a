// CONV_2D (int8, per-channel or per-tensor weights) → one kernel call: `conv2d_1x1_s8` for 1×1
// filters with stride 1 and no padding (a plain matrix product over pixels), `conv2d_s8` otherwise.
// Parameters follow TFLite Micro's reference kernel: input_offset = -input_zp, output_offset = output_zp.
import { tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { opMacs } from '../ir/macs.ts';
import { activationRangeInt8 } from './activation-range.ts';
import { foldedBias } from './folded-bias.ts';
import { int32Bytes, kernelLayout, type BufferRef, type PreparedOp } from './kernel-layout.ts';
import { convWindowPadding, nhwcDims } from './conv-window.ts';
import { perChannelMultipliers } from './per-channel-multipliers.ts';
import { opLabel, PrepareError } from './prepare-error.ts';
import { rowStream } from './row-stream.ts';
import { int32Bias, int8Activation, int8Weights } from './quantized-operands.ts';

export const CONV2D_S8 = kernelLayout(
  'conv2d_s8',
  ['input', 'filter', 'bias', 'folded_bias', 'multipliers', 'shifts', 'output', 'scratch'],
  ['batches', 'input_h', 'input_w', 'input_c', 'filter_h', 'filter_w', 'output_h', 'output_w', 'output_c',
    'stride_h', 'stride_w', 'dilation_h', 'dilation_w', 'pad_h', 'pad_w',
    'input_offset', 'output_offset', 'act_min', 'act_max', 'gather_rows'],
);

export const CONV2D_1X1_S8 = kernelLayout(
  'conv2d_1x1_s8',
  ['input', 'filter', 'bias', 'folded_bias', 'multipliers', 'shifts', 'output'],
  ['pixels', 'input_c', 'output_c', 'input_offset', 'output_offset', 'act_min', 'act_max'],
);

/**
 * How many output pixels' receptive fields (filter_h × filter_w × input_c bytes each) the SIMD build
 * gathers before each matrix product: enough to spread the per-channel setup over many rows, within
 * about 8 KB of scratch.
 */
export function conv2dS8GatherRows(filterH: number, filterW: number, inputC: number): number {
  return Math.max(2, Math.min(16, Math.floor(8192 / (filterH * filterW * inputC))));
}

/** Scratch of `conv2d_s8` (CMSIS-NN's get_buffer_size): the gathered receptive fields. */
export function conv2dS8ScratchSize(filterH: number, filterW: number, inputC: number): number {
  return (conv2dS8GatherRows(filterH, filterW, inputC) * filterH * filterW * inputC + 15) & ~15;
}

/** `conv2d_1x1_s8` reads its rows straight from the input: no scratch. */
export function conv2d1x1S8ScratchSize(): number {
  return 0;
}

export function prepareConv2D(graph: Graph, op: Op<'CONV_2D'>): PreparedOp[] {
  const a = op.attrs;
  const input = int8Activation(graph, op, op.inputs[0], 'input');
  const output = int8Activation(graph, op, op.outputs[0], 'output');
  const [batches, inH, inW, inC] = nhwcDims(graph, op, input.tensor.id, 'input');
  const [outN, outH, outW, outC] = nhwcDims(graph, op, output.tensor.id, 'output');
  const weights = int8Weights(graph, op, op.inputs[1], 0, outC);
  const [filterOC, filterH, filterW, filterIC] = nhwcDims(graph, op, weights.tensor.id, 'weights');
  if (filterOC !== outC) {
    throw new PrepareError(`${opLabel(op)}: weights have ${filterOC} output channels but the output has ${outC}`);
  }
  if (filterIC !== inC) {
    throw new PrepareError(`${opLabel(op)}: weights expect ${filterIC} input channels but the input has ${inC} (grouped convolution is not supported)`);
  }
  if (outN !== batches) throw new PrepareError(`${opLabel(op)}: output batch ${outN} differs from input batch ${batches}`);
  const pad = convWindowPadding(op, a, { inH, inW }, { filterH, filterW }, { outH, outW });
  const act = activationRangeInt8(a.activation, output.scale, output.zeroPoint);
  const bias = int32Bias(graph, op, op.inputs[2], outC);
  const { multipliers, shifts } = perChannelMultipliers(input.scale, weights.scales, output.scale, outC);
  const inputOffset = -input.zeroPoint;
  const rowLength = filterH * filterW * inC;
  const folded = foldedBias(bias?.data, weights.data, outC, rowLength, inputOffset);

  const counters = {
    macs: opMacs(graph, op),
    // input, weights, one int32 bias per channel (plain or folded), multiplier and shift per channel.
    bytesRead: tensorBytes(input.tensor) + tensorBytes(weights.tensor) + outC * 4 + outC * 8,
    bytesWritten: tensorBytes(output.tensor),
  };
  const common = {
    input: { kind: 'tensor', tensor: input.tensor.id },
    filter: { kind: 'tensor', tensor: weights.tensor.id },
    bias: (bias ? { kind: 'tensor', tensor: bias.tensor.id } : { kind: 'none' }) as BufferRef,
    folded_bias: { kind: 'const', data: int32Bytes(folded) },
    multipliers: { kind: 'const', data: int32Bytes(multipliers) },
    shifts: { kind: 'const', data: int32Bytes(shifts) },
    output: { kind: 'tensor', tensor: output.tensor.id },
  } as const;
  const quant = { input_offset: inputOffset, output_offset: output.zeroPoint, act_min: act.min, act_max: act.max };

  if (filterH === 1 && filterW === 1 && a.strideH === 1 && a.strideW === 1 && pad.padH === 0 && pad.padW === 0) {
    const prepared: PreparedOp<(typeof CONV2D_1X1_S8.pointers)[number], (typeof CONV2D_1X1_S8.scalars)[number]> = {
      opIndex: op.index,
      layout: CONV2D_1X1_S8,
      pointers: common,
      scalars: { pixels: batches * inH * inW, input_c: inC, output_c: outC, ...quant },
      scratchBytes: conv2d1x1S8ScratchSize(),
      counters,
    };
    return [prepared as PreparedOp];
  }
  const prepared: PreparedOp<(typeof CONV2D_S8.pointers)[number], (typeof CONV2D_S8.scalars)[number]> = {
    opIndex: op.index,
    layout: CONV2D_S8,
    pointers: { ...common, scratch: { kind: 'scratch' } },
    scalars: {
      batches, input_h: inH, input_w: inW, input_c: inC, filter_h: filterH, filter_w: filterW,
      output_h: outH, output_w: outW, output_c: outC,
      stride_h: a.strideH, stride_w: a.strideW, dilation_h: a.dilationH, dilation_w: a.dilationW,
      pad_h: pad.padH, pad_w: pad.padW, ...quant, gather_rows: conv2dS8GatherRows(filterH, filterW, inC),
    },
    scratchBytes: conv2dS8ScratchSize(filterH, filterW, inC),
    counters,
  };
  // conv2d_s8 gathers pixels in order and writes them after: it streams rows in every build.
  const stream = rowStream(graph, { input: input.tensor.id, output: output.tensor.id }, { strideH: a.strideH, padTop: pad.padH });
  if (stream) prepared.rowStream = stream;
  return [prepared as PreparedOp];
}
