// One-op int8 graphs for kernel tests: a CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED with seeded
// random weights, bias and input, plus the TypeScript reference output for a prepared call.
import type { Graph, Op, Quantization, Tensor } from '../../formats/ir/graph.ts';
import type { FusedActivation, OpType, Padding } from '../../formats/ir/op-types.ts';
import type { BufferRef, PreparedOp } from '../../compiler/prepare/kernel-layout.ts';
import { conv2dReference, type Conv2DParams } from './reference/conv2d.ts';
import { depthwiseConv2dReference, type DepthwiseConv2DParams } from './reference/depthwise-conv2d.ts';
import { fullyConnectedReference, type FullyConnectedParams } from './reference/fully-connected.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';

export type Rng = SeededRandom;

/** A seeded generator for layer tests. */
export function rng(seed: number): Rng {
  return new SeededRandom(seed);
}

export interface QuantSpec {
  inputZeroPoint: number;
  outputZeroPoint: number;
  inputScale: number;
  outputScale: number;
  /** One per output channel, or one for per-tensor weights. */
  filterScales: number[];
  hasBias: boolean;
  /** Largest |bias| value. */
  biasRange: number;
  activation: FusedActivation;
}

export interface ConvSpec extends QuantSpec {
  batches: number; inH: number; inW: number; inC: number; outC: number;
  filterH: number; filterW: number; strideH: number; strideW: number; dilationH: number; dilationW: number;
  padding: Padding;
  /** Depthwise only. */
  depthMultiplier?: number;
}

export interface FullyConnectedSpec extends QuantSpec {
  batches: number; inDepth: number; outDepth: number;
}

export interface Layer {
  graph: Graph;
  op: Op;
  activations: Map<number, Uint8Array>;
}

function randomBytes(r: Rng, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = r.int(0, 255);
  return b;
}

function perTensor(scale: number, zeroPoint: number): Quantization {
  return { scale: [Math.fround(scale)], zeroPoint: [zeroPoint], axis: 0 };
}

function tensor(id: number, name: string, shape: number[], dtype: Tensor['dtype'], quant?: Quantization, data?: Uint8Array): Tensor {
  return { id, name, shape, dtype, quant, data };
}

function biasTensor(r: Rng, s: QuantSpec, channels: number): Tensor {
  const bias = new Int32Array(channels);
  for (let c = 0; c < channels; c++) bias[c] = r.int(-s.biasRange, s.biasRange);
  return tensor(2, 'bias', [channels], 'int32', { scale: [1], zeroPoint: [0], axis: 0 }, new Uint8Array(bias.buffer));
}

function weightQuant(s: QuantSpec, axis: number): Quantization {
  return { scale: s.filterScales.map(Math.fround), zeroPoint: s.filterScales.map(() => 0), axis };
}

function outSize(padding: Padding, inSize: number, filter: number, stride: number, dilation: number): number {
  const eff = (filter - 1) * dilation + 1;
  return padding === 'SAME' ? Math.ceil(inSize / stride) : Math.floor((inSize - eff) / stride) + 1;
}

function layer(type: OpType, attrs: Op['attrs'], tensors: Tensor[], hasBias: boolean, seed: Rng): Layer {
  const input = tensors[0];
  const op: Op = { index: 0, type, inputs: [0, 1, hasBias ? 2 : -1], outputs: [3], attrs };
  const graph: Graph = { name: `${type} test`, tensors, ops: [op], inputs: [0], outputs: [3] };
  const activations = new Map([[0, randomBytes(seed, input.shape.reduce((a, b) => a * b, 1))]]);
  return { graph, op, activations };
}

export function buildConv2D(s: ConvSpec, r: Rng): Layer {
  const outH = outSize(s.padding, s.inH, s.filterH, s.strideH, s.dilationH);
  const outW = outSize(s.padding, s.inW, s.filterW, s.strideW, s.dilationW);
  const tensors = [
    tensor(0, 'input', [s.batches, s.inH, s.inW, s.inC], 'int8', perTensor(s.inputScale, s.inputZeroPoint)),
    tensor(1, 'weights', [s.outC, s.filterH, s.filterW, s.inC], 'int8', weightQuant(s, 0), randomBytes(r, s.outC * s.filterH * s.filterW * s.inC)),
    biasTensor(r, s, s.outC),
    tensor(3, 'output', [s.batches, outH, outW, s.outC], 'int8', perTensor(s.outputScale, s.outputZeroPoint)),
  ];
  const attrs = {
    padding: s.padding, strideH: s.strideH, strideW: s.strideW, dilationH: s.dilationH, dilationW: s.dilationW, activation: s.activation,
  };
  return layer('CONV_2D', attrs, tensors, s.hasBias, r);
}

export function buildDepthwiseConv2D(s: ConvSpec, r: Rng): Layer {
  const dm = s.depthMultiplier ?? 1;
  const outC = s.inC * dm;
  const outH = outSize(s.padding, s.inH, s.filterH, s.strideH, s.dilationH);
  const outW = outSize(s.padding, s.inW, s.filterW, s.strideW, s.dilationW);
  const tensors = [
    tensor(0, 'input', [s.batches, s.inH, s.inW, s.inC], 'int8', perTensor(s.inputScale, s.inputZeroPoint)),
    tensor(1, 'weights', [1, s.filterH, s.filterW, outC], 'int8', weightQuant(s, 3), randomBytes(r, s.filterH * s.filterW * outC)),
    biasTensor(r, s, outC),
    tensor(3, 'output', [s.batches, outH, outW, outC], 'int8', perTensor(s.outputScale, s.outputZeroPoint)),
  ];
  const attrs = {
    padding: s.padding, strideH: s.strideH, strideW: s.strideW, dilationH: s.dilationH, dilationW: s.dilationW,
    activation: s.activation, depthMultiplier: dm,
  };
  return layer('DEPTHWISE_CONV_2D', attrs, tensors, s.hasBias, r);
}

export function buildFullyConnected(s: FullyConnectedSpec, r: Rng): Layer {
  const tensors = [
    tensor(0, 'input', [s.batches, s.inDepth], 'int8', perTensor(s.inputScale, s.inputZeroPoint)),
    tensor(1, 'weights', [s.outDepth, s.inDepth], 'int8', weightQuant(s, 0), randomBytes(r, s.outDepth * s.inDepth)),
    biasTensor(r, s, s.outDepth),
    tensor(3, 'output', [s.batches, s.outDepth], 'int8', perTensor(s.outputScale, s.outputZeroPoint)),
  ];
  return layer('FULLY_CONNECTED', { activation: s.activation, keepNumDims: false }, tensors, s.hasBias, r);
}

function int32Of(ref: BufferRef): Int32Array {
  if (ref.kind !== 'const') throw new Error(`expected a const buffer, got ${ref.kind}`);
  return new Int32Array(ref.data.slice().buffer);
}

/** The TypeScript reference's output for a prepared call of any of the three ops. */
export function referenceOutput(l: Layer, prepared: PreparedOp): Int8Array {
  const ptr = prepared.pointers as Record<string, BufferRef>;
  const input = new Int8Array(l.activations.get(0)!.buffer);
  const filter = new Int8Array(l.graph.tensors[1].data!.buffer);
  const bias = ptr.bias.kind === 'none' ? undefined : new Int32Array(l.graph.tensors[2].data!.slice().buffer);
  const mult = int32Of(ptr.multipliers);
  const shifts = int32Of(ptr.shifts);
  const sc = prepared.scalars as Record<string, number>;
  switch (prepared.layout.name) {
    case 'conv2d_s8':
      return conv2dReference(sc as unknown as Conv2DParams, input, filter, bias, mult, shifts);
    case 'conv2d_1x1_s8':
      return fullyConnectedReference({ ...sc, batches: sc.pixels, input_depth: sc.input_c, output_depth: sc.output_c } as FullyConnectedParams,
        input, filter, bias, mult, shifts);
    case 'depthwise_conv2d_s8':
      return depthwiseConv2dReference(sc as unknown as DepthwiseConv2DParams, input, filter, bias, mult, shifts);
    case 'fully_connected_s8':
      return fullyConnectedReference(sc as unknown as FullyConnectedParams, input, filter, bias, mult, shifts);
    default:
      throw new Error(`no reference for ${prepared.layout.name}`);
  }
}
