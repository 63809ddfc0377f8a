// One-op graphs covering every C kernel (each layout compiled from at least one graph), with inputs: the cases
// the C kernels are checked against the WASM runtime with.
import type { Graph } from '../../formats/ir/graph.ts';
import { int32Bytes } from '../../compiler/prepare/kernel-layout.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { buildConv2D, buildDepthwiseConv2D, buildFullyConnected } from '../kernels/layer-builder.ts';
import { randomConvSpec, randomFullyConnectedSpec } from '../kernels/random-specs.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';

export interface OneOpCase {
  name: string;
  graph: Graph;
  /** All graph inputs concatenated. */
  input: Uint8Array;
}

const q = (scale: number, zeroPoint: number) => ({ scale: [scale], zeroPoint: [zeroPoint], axis: 0 });

function int8Bytes(r: SeededRandom, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = r.int(0, 255);
  return b;
}

function unary(r: SeededRandom, name: string, type: 'RELU' | 'RELU6' | 'LOGISTIC' | 'TANH' | 'HARD_SWISH' | 'QUANTIZE', shape: number[], qin: [number, number], qout: [number, number]): OneOpCase {
  const g = new GraphBuilder(name);
  const x = g.tensor(shape, 'int8', q(...qin));
  const y = g.tensor(shape, 'int8', q(...qout));
  g.op(type as 'RELU', [x], [y], {});
  return { name, graph: g.build([x], [y]), input: int8Bytes(r, shape.reduce((a, b) => a * b, 1)) };
}

function binary(r: SeededRandom, name: string, type: 'ADD' | 'MUL', a: number[], b: number[], out: number[]): OneOpCase {
  const g = new GraphBuilder(name);
  const x = g.tensor(a, 'int8', q(0.05, -7));
  const y = g.tensor(b, 'int8', q(0.08, 12));
  const z = g.tensor(out, 'int8', q(type === 'ADD' ? 0.1 : 0.02, 3));
  g.op(type, [x, y], [z], { activation: 'RELU' });
  const n = (s: number[]) => s.reduce((p, d) => p * d, 1);
  return { name, graph: g.build([x, y], [z]), input: int8Bytes(r, n(a) + n(b)) };
}

export function oneOpCases(seed = 7): OneOpCase[] {
  const r = new SeededRandom(seed);
  const cases: OneOpCase[] = [
    unary(r, 'relu_requantizing', 'RELU', [1, 4, 4, 8], [0.05, -10], [0.03, -128]),
    unary(r, 'relu_equal_quant', 'RELU', [1, 64], [0.05, 3], [0.05, 3]),
    unary(r, 'relu6', 'RELU6', [1, 3, 3, 5], [0.04, -20], [0.04, -20]),
    unary(r, 'logistic', 'LOGISTIC', [1, 600], [0.07, 5], [1 / 256, -128]),
    unary(r, 'tanh', 'TANH', [2, 50], [0.06, -3], [1 / 128, 0]),
    unary(r, 'hard_swish', 'HARD_SWISH', [1, 7, 7, 3], [0.05, -12], [0.04, -100]),
    unary(r, 'requantize', 'QUANTIZE', [1, 99], [0.05, 10], [0.09, -20]),
    binary(r, 'add', 'ADD', [1, 4, 4, 6], [1, 4, 4, 6], [1, 4, 4, 6]),
    binary(r, 'add_broadcast', 'ADD', [1, 4, 4, 6], [1, 1, 1, 6], [1, 4, 4, 6]),
    binary(r, 'mul', 'MUL', [2, 33], [2, 33], [2, 33]),
    binary(r, 'mul_broadcast', 'MUL', [1, 3, 1, 5], [1, 1, 4, 5], [1, 3, 4, 5]),
  ];
  {
    const g = new GraphBuilder('quantize_f32');
    const x = g.tensor([1, 40], 'float32', q(1, 0));
    const y = g.tensor([1, 40], 'int8', q(0.25, -3));
    g.op('QUANTIZE', [x], [y], {});
    // Values on the rounding halves, in range and far out of it.
    const f = Float32Array.from({ length: 40 }, (_, i) => (i - 20) * 0.125 + (i % 7 === 0 ? 1000 : 0));
    cases.push({ name: 'quantize_f32', graph: g.build([x], [y]), input: new Uint8Array(f.buffer) });
  }
  {
    const g = new GraphBuilder('dequantize');
    const x = g.tensor([1, 30], 'int8', q(0.037, 11));
    const y = g.tensor([1, 30], 'float32', q(1, 0));
    g.op('DEQUANTIZE', [x], [y], {});
    cases.push({ name: 'dequantize', graph: g.build([x], [y]), input: int8Bytes(r, 30) });
  }
  {
    const g = new GraphBuilder('pad');
    const x = g.tensor([1, 3, 4, 2], 'int8', q(0.1, -5));
    const p = g.constant([4, 2], int32Bytes([0, 0, 1, 2, 2, 0, 0, 1]), 'int32');
    const y = g.tensor([1, 6, 6, 3], 'int8', q(0.1, -5));
    g.op('PAD', [x, p], [y], {});
    cases.push({ name: 'pad', graph: g.build([x], [y]), input: int8Bytes(r, 24) });
  }
  for (const [name, qout] of [['mean_rescaled', q(0.03, 4)], ['mean_same_quant', q(0.1, -2)]] as const) {
    const g = new GraphBuilder(name);
    const x = g.tensor([1, 5, 4, 6], 'int8', q(0.1, -2));
    const axes = g.constant([2], int32Bytes([1, 2]), 'int32');
    const y = g.tensor([1, 6], 'int8', qout);
    g.op('MEAN', [x, axes], [y], { keepDims: false });
    cases.push({ name, graph: g.build([x], [y]), input: int8Bytes(r, 120) });
  }
  {
    const g = new GraphBuilder('concatenation');
    const a = g.tensor([1, 2, 3, 4], 'int8', q(0.1, 0));
    const b = g.tensor([1, 2, 3, 5], 'int8', q(0.1, 0));
    const y = g.tensor([1, 2, 3, 9], 'int8', q(0.1, 0));
    g.op('CONCATENATION', [a, b], [y], { axis: 3, activation: 'NONE' });
    cases.push({ name: 'concatenation', graph: g.build([a, b], [y]), input: int8Bytes(r, 24 + 30) });
  }
  for (const type of ['MAX_POOL_2D', 'AVERAGE_POOL_2D'] as const) {
    const g = new GraphBuilder(type);
    const x = g.tensor([1, 7, 6, 5], 'int8', q(0.1, 3));
    const y = g.tensor([1, 4, 3, 5], 'int8', q(0.1, 3));
    g.op(type, [x], [y], { padding: 'SAME', filterH: 3, filterW: 2, strideH: 2, strideW: 2, activation: 'RELU6' });
    cases.push({ name: type.toLowerCase(), graph: g.build([x], [y]), input: int8Bytes(r, 7 * 6 * 5) });
  }
  {
    const g = new GraphBuilder('softmax');
    const x = g.tensor([3, 10], 'int8', q(0.09, -4));
    const y = g.tensor([3, 10], 'int8', q(1 / 256, -128));
    g.op('SOFTMAX', [x], [y], { beta: 1 });
    cases.push({ name: 'softmax', graph: g.build([x], [y]), input: int8Bytes(r, 30) });
  }
  {
    // 1×1, stride 1, no padding: the plain matrix-product kernel, with an odd pixel count and channel count.
    const spec = { ...randomConvSpec(r, false), batches: 1, inH: 3, inW: 5, inC: 13, outC: 7, filterH: 1, filterW: 1,
      strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padding: 'VALID' as const };
    const layer = buildConv2D(spec, r);
    cases.push({ name: 'conv_1x1', graph: { ...layer.graph, name: 'conv_1x1' }, input: layer.activations.get(0)! });
  }
  return cases;
}

/** Random convolution, depthwise (multiplier 1 and more, dilation) and fully connected layers. */
export function randomLayerCases(seed: number, count: number): OneOpCase[] {
  const r = new SeededRandom(seed);
  const cases: OneOpCase[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 3;
    const layer =
      kind === 0 ? buildConv2D(randomConvSpec(r, false), r) : kind === 1 ? buildDepthwiseConv2D(randomConvSpec(r, true), r) : buildFullyConnected(randomFullyConnectedSpec(r), r);
    cases.push({ name: `${layer.op.type.toLowerCase()}_${i}`, graph: { ...layer.graph, name: `layer_${i}` }, input: layer.activations.get(0)! });
  }
  return cases;
}
