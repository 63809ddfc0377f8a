// Prepare of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED: TFLite Micro's parameters, the folded
// bias, counters, scratch sizes, and a clear PrepareError for every model the kernels cannot run.
import { describe, expect, it } from 'vitest';
import { opMacs } from '../../compiler/ir/macs.ts';
import type { Op } from '../../formats/ir/graph.ts';
import { conv2dS8ScratchSize, prepareConv2D } from '../../compiler/prepare/conv2d.ts';
import { prepareDepthwiseConv2D } from '../../compiler/prepare/depthwise-conv2d.ts';
import { foldedBias } from '../../compiler/prepare/folded-bias.ts';
import { prepareFullyConnected } from '../../compiler/prepare/fully-connected.ts';
import type { BufferRef } from '../../compiler/prepare/kernel-layout.ts';
import { perChannelMultipliers } from '../../compiler/prepare/per-channel-multipliers.ts';
import { PrepareError } from '../../compiler/prepare/prepare-error.ts';
import { quantizeMultiplier } from '../../compiler/prepare/quantize-multiplier.ts';
import { buildConv2D, buildDepthwiseConv2D, buildFullyConnected, rng, type ConvSpec, type FullyConnectedSpec } from './layer-builder.ts';

const spec: ConvSpec = {
  batches: 1, inH: 7, inW: 6, inC: 5, outC: 6, filterH: 3, filterW: 3, strideH: 2, strideW: 2,
  dilationH: 1, dilationW: 1, padding: 'SAME', depthMultiplier: 1,
  inputZeroPoint: 3, outputZeroPoint: -5, inputScale: 0.05, outputScale: 0.1, filterScales: [0.01],
  hasBias: true, biasRange: 2000, activation: 'RELU',
};
const fcSpec: FullyConnectedSpec = {
  batches: 1, inDepth: 64, outDepth: 12, inputZeroPoint: -128, outputZeroPoint: 14, inputScale: 0.08,
  outputScale: 0.14, filterScales: [0.008], hasBias: true, biasRange: 5000, activation: 'NONE',
};

const int32s = (ref: BufferRef) => {
  if (ref.kind !== 'const') throw new Error(`not const: ${ref.kind}`);
  return Array.from(new Int32Array(ref.data.slice().buffer));
};
const conv = (over: Partial<ConvSpec> = {}) => buildConv2D({ ...spec, ...over }, rng(1));
const prepConv = (l = conv()) => prepareConv2D(l.graph, l.op as Op<'CONV_2D'>)[0];

describe('CONV_2D prepare', () => {
  it('gives TFLite Micro reference parameters', () => {
    const p = prepConv();
    expect(p.layout.name).toBe('conv2d_s8');
    // SAME, 3×3, stride 2 on 7×6: output 4×3, total padding 2 and 1 → pad 1 and 0.
    expect(p.scalars).toMatchObject({
      batches: 1, input_h: 7, input_w: 6, input_c: 5, filter_h: 3, filter_w: 3, output_h: 4, output_w: 3, output_c: 6,
      stride_h: 2, stride_w: 2, dilation_h: 1, dilation_w: 1, pad_h: 1, pad_w: 0,
      input_offset: -3, output_offset: -5, act_min: -5, act_max: 127, gather_rows: 16,
    });
    const ptr = p.pointers as Record<string, BufferRef>;
    expect(ptr.input).toEqual({ kind: 'tensor', tensor: 0 });
    expect(ptr.filter).toEqual({ kind: 'tensor', tensor: 1 });
    expect(ptr.bias).toEqual({ kind: 'tensor', tensor: 2 });
    expect(ptr.output).toEqual({ kind: 'tensor', tensor: 3 });
    expect(ptr.scratch).toEqual({ kind: 'scratch' });
    const q = quantizeMultiplier(Math.fround(0.05) * Math.fround(0.01) / Math.fround(0.1));
    expect(int32s(ptr.multipliers)).toEqual(Array(6).fill(q.multiplier));
    expect(int32s(ptr.shifts)).toEqual(Array(6).fill(q.shift));
    expect(p.scratchBytes).toBe(conv2dS8ScratchSize(3, 3, 5));
    expect(conv2dS8ScratchSize(3, 3, 5)).toBe(720); // 16 rows × 45 bytes
    expect(conv2dS8ScratchSize(3, 3, 512)).toBe(2 * 4608); // large filters: at least 2 rows
  });

  it('folds the input offset into the bias', () => {
    const l = conv();
    const p = prepConv(l);
    const w = new Int8Array(l.graph.tensors[1].data!.buffer);
    const b = new Int32Array(l.graph.tensors[2].data!.slice().buffer);
    const k = 3 * 3 * 5;
    const expected = Array.from({ length: 6 }, (_, c) => b[c] - 3 * w.subarray(c * k, (c + 1) * k).reduce((s, x) => s + x, 0));
    expect(int32s((p.pointers as Record<string, BufferRef>).folded_bias)).toEqual(expected);
  });

  it('passes a null bias when the model has none', () => {
    const p = prepConv(conv({ hasBias: false }));
    expect((p.pointers as Record<string, BufferRef>).bias).toEqual({ kind: 'none' });
  });

  it('counts MACs as compiler/ir/macs.ts and the bytes each kernel call touches', () => {
    const l = conv();
    const p = prepConv(l);
    expect(p.counters.macs).toBe(opMacs(l.graph, l.op));
    expect(p.counters.macs).toBe(4 * 3 * 6 * 3 * 3 * 5);
    // input 210 + weights 270 + bias 24 + multipliers and shifts 48
    expect(p.counters.bytesRead).toBe(210 + 270 + 24 + 48);
    expect(p.counters.bytesWritten).toBe(4 * 3 * 6);
  });

  it('per-channel multipliers: double(input)·double(filter[c]) / double(output), per-tensor broadcast', () => {
    const m = perChannelMultipliers(0.5, [0.25, 0.0078125], 0.125, 2);
    expect(Array.from(m.multipliers)).toEqual([0x40000000, 0x40000000]);
    expect(Array.from(m.shifts)).toEqual([1, -4]);
    expect(Array.from(perChannelMultipliers(0.5, [0.25], 0.125, 3).shifts)).toEqual([1, 1, 1]);
  });

  it('folded bias wraps like the int32 accumulator', () => {
    const w = new Int8Array([127, 127]);
    expect(Array.from(foldedBias(new Int32Array([0x7fffff00]), w, 1, 2, 255))).toEqual([(0x7fffff00 + 255 * 254) | 0]);
    expect(Array.from(foldedBias(undefined, w, 1, 2, -1))).toEqual([-254]);
  });
});

describe('prepare refuses what the int8 kernels cannot run', () => {
  const refuses = (mutate: (l: ReturnType<typeof conv>) => void, message: RegExp) => {
    const l = conv();
    mutate(l);
    expect(() => prepConv(l)).toThrow(PrepareError);
    expect(() => prepConv(l)).toThrow(message);
  };

  it('float input', () => refuses((l) => { l.graph.tensors[0].dtype = 'float32'; }, /CONV_2D op #0: input tensor 'input' is float32; only int8/));
  it('missing activation quantization', () => refuses((l) => { l.graph.tensors[3].quant = undefined; }, /output tensor 'output' has no quantization parameters/));
  it('per-axis activation', () => refuses((l) => { l.graph.tensors[0].quant = { scale: [1, 2], zeroPoint: [0, 0], axis: 3 }; }, /2 scales; activations need one/));
  it('asymmetric weights', () => refuses((l) => { l.graph.tensors[1].quant!.zeroPoint = [4]; }, /zero point 4; int8 weights must be symmetric/));
  it('weights without quantization', () => refuses((l) => { l.graph.tensors[1].quant = undefined; }, /weights tensor 'weights' has no quantization/));
  it('wrong number of weight scales', () => refuses((l) => { l.graph.tensors[1].quant!.scale = [1, 2, 3]; l.graph.tensors[1].quant!.zeroPoint = [0, 0, 0]; }, /3 scales for 6 output channels/));
  it('non-constant weights', () => refuses((l) => { l.graph.tensors[1].data = undefined; }, /not constant/));
  it('int64 bias', () => refuses((l) => { l.graph.tensors[2].dtype = 'int64'; }, /bias tensor 'bias' is int64; int8 kernels need an int32 bias/));
  it('output shape that the padding does not give', () => refuses((l) => { l.graph.tensors[3].shape = [1, 5, 3, 6]; }, /output is 5×3 but SAME padding of a 7×6 input/));
  it('grouped convolution', () => refuses((l) => { l.graph.tensors[1].shape = [6, 3, 3, 1]; }, /grouped convolution is not supported/));

  it('depthwise with a depth multiplier that does not match the channels', () => {
    const l = buildDepthwiseConv2D({ ...spec, outC: 5 }, rng(2));
    (l.op.attrs as { depthMultiplier: number }).depthMultiplier = 2;
    expect(() => prepareDepthwiseConv2D(l.graph, l.op as Op<'DEPTHWISE_CONV_2D'>)).toThrow(/depth multiplier 2 with 5 input channels/);
  });

  it('fully connected whose input is not a multiple of the weights’ inputs', () => {
    const l = buildFullyConnected(fcSpec, rng(3));
    l.graph.tensors[0].shape = [1, 63];
    expect(() => prepareFullyConnected(l.graph, l.op as Op<'FULLY_CONNECTED'>)).toThrow(/input has 63 values, not a multiple of the weights' 64 inputs/);
  });
});

describe('DEPTHWISE_CONV_2D and FULLY_CONNECTED prepare', () => {
  it('depthwise: depth multiplier, per-channel weights on axis 3, no scratch', () => {
    const scales = Array.from({ length: 10 }, (_, i) => 0.001 * (i + 1));
    const l = buildDepthwiseConv2D({ ...spec, depthMultiplier: 2, outC: 10, filterScales: scales, dilationH: 2, dilationW: 2, strideH: 1, strideW: 1 }, rng(4));
    const p = prepareDepthwiseConv2D(l.graph, l.op as Op<'DEPTHWISE_CONV_2D'>)[0];
    expect(p.layout.name).toBe('depthwise_conv2d_s8');
    expect(p.scalars).toMatchObject({ depth_multiplier: 2, dilation_h: 2, dilation_w: 2, pad_h: 2, pad_w: 2, output_h: 7, output_w: 6 });
    expect(p.scratchBytes).toBe(0);
    expect(p.counters.macs).toBe(opMacs(l.graph, l.op));
    const shifts = int32s((p.pointers as Record<string, BufferRef>).shifts);
    expect(new Set(shifts).size).toBeGreaterThan(1);
  });

  it('fully connected: batches from the input size, RELU range from the output quantization', () => {
    const l = buildFullyConnected({ ...fcSpec, batches: 3, activation: 'RELU6', outputScale: 0.05, outputZeroPoint: -100 }, rng(5));
    const p = prepareFullyConnected(l.graph, l.op as Op<'FULLY_CONNECTED'>)[0];
    // RELU6 with scale 0.05, zero point -100: [round(0/0.05) - 100, round(6/0.05) - 100] = [-100, 20].
    expect(p.scalars).toEqual({ batches: 3, input_depth: 64, output_depth: 12, input_offset: 128, output_offset: -100, act_min: -100, act_max: 20 });
    expect(p.counters).toEqual({ macs: 3 * 12 * 64, bytesRead: 3 * 64 + 12 * 64 + 12 * 4 + 12 * 8, bytesWritten: 36 });
  });
});
