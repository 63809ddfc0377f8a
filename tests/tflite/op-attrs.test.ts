// Every op the IR supports comes out of a .tflite file with its typed attributes.
import { expect, it } from 'vitest';
import { loadTfliteGraph } from '../../compiler/tflite/read-tflite.ts';
import { writeTflite } from '../../compiler/tflite/write-tflite.ts';
import { graphMacs, opMacs } from '../../compiler/ir/macs.ts';
import { SUPPORTED_OPS } from '../../formats/ir/op-types.ts';
import { ModelSketch } from './model-sketch.ts';

function everyOpModel() {
  const m = new ModelSketch();
  const input = m.tensor([1, 6, 6, 2]);
  const dwFilter = m.tensor([1, 3, 3, 4], { data: new Uint8Array(36), scale: [0.1, 0.2, 0.3, 0.4], axis: 3 });
  const dwBias = m.tensor([4], { type: 'INT32', data: new Uint8Array(16), scale: [0.1, 0.2, 0.3, 0.4] });
  const dw = m.tensor([1, 2, 2, 4]);
  m.op('DEPTHWISE_CONV_2D', [input, dwFilter, dwBias], [dw], {
    type: 'DepthwiseConv2DOptions', padding: 'VALID', strideW: 1, strideH: 1, depthMultiplier: 2,
    dilationWFactor: 2, dilationHFactor: 2, activation: 'RELU',
  });
  const maxPool = m.tensor([1, 1, 1, 4]);
  m.op('MAX_POOL_2D', [dw], [maxPool], {
    type: 'Pool2DOptions', padding: 'SAME', strideW: 2, strideH: 2, filterWidth: 2, filterHeight: 2, activation: 'RELU6',
  });
  const padded = m.tensor([1, 3, 3, 4]);
  m.op('PAD', [maxPool, m.int32([0, 0, 1, 1, 1, 1, 0, 0])], [padded], { type: 'PadOptions' });
  const mean = m.tensor([1, 1, 1, 4]);
  m.op('MEAN', [padded, m.int32([1, 2])], [mean], { type: 'ReducerOptions', keepDims: true });
  const concat = m.tensor([1, 1, 1, 8]);
  m.op('CONCATENATION', [mean, mean], [concat], { type: 'ConcatenationOptions', axis: -1, activation: 'NONE' });
  const sum = m.tensor([1, 1, 1, 8]);
  m.op('ADD', [concat, concat], [sum], { type: 'AddOptions', activation: 'RELU', potScaleInt16: true });
  const product = m.tensor([1, 1, 1, 8]);
  m.op('MUL', [sum, concat], [product], { type: 'MulOptions', activation: 'RELU_N1_TO_1' });
  let t = product;
  for (const name of ['LOGISTIC', 'TANH', 'RELU', 'RELU6']) {
    const next = m.tensor([1, 1, 1, 8]);
    m.op(name, [t], [next]);
    t = next;
  }
  const swish = m.tensor([1, 1, 1, 8]);
  m.op('HARD_SWISH', [t], [swish], { type: 'HardSwishOptions' });
  const float = m.tensor([1, 1, 1, 8], { type: 'FLOAT32' });
  m.op('DEQUANTIZE', [swish], [float], { type: 'DequantizeOptions' });
  const requantized = m.tensor([1, 1, 1, 8]);
  m.op('QUANTIZE', [float], [requantized], { type: 'QuantizeOptions' });
  const fcFilter = m.tensor([3, 8], { data: new Uint8Array(24) });
  const fc = m.tensor([1, 1, 1, 3]);
  m.op('FULLY_CONNECTED', [requantized, fcFilter, -1], [fc], {
    type: 'FullyConnectedOptions', activation: 'NONE', weightsFormat: 0, keepNumDims: true, asymmetricQuantizeInputs: false, quantizedBiasType: 0,
  });
  const pooled = m.tensor([1, 1, 1, 3]);
  m.op('AVERAGE_POOL_2D', [fc], [pooled], {
    type: 'Pool2DOptions', padding: 'VALID', strideW: 1, strideH: 1, filterWidth: 1, filterHeight: 1, activation: 'NONE',
  });
  const flat = m.tensor([1, 3]);
  m.op('RESHAPE', [pooled], [flat], { type: 'ReshapeOptions', newShape: [1, 3] });
  const convFilter = m.tensor([2, 1, 1, 3], { data: new Uint8Array(6) });
  const image = m.tensor([1, 1, 1, 3]);
  m.op('RESHAPE', [flat], [image], { type: 'ReshapeOptions', newShape: [1, 1, 1, 3] });
  const conv = m.tensor([1, 1, 1, 2]);
  m.op('CONV_2D', [image, convFilter], [conv], {
    type: 'Conv2DOptions', padding: 'SAME', strideW: 1, strideH: 1, dilationWFactor: 1, dilationHFactor: 1, activation: 'TANH', quantizedBiasType: 0,
  });
  const out = m.tensor([1, 1, 1, 2]);
  m.op('SOFTMAX', [conv], [out], { type: 'SoftmaxOptions', beta: 0.5 });
  return m.build([input], [out]);
}

it('decodes the attributes of every supported op', () => {
  const graph = loadTfliteGraph(writeTflite(everyOpModel()), 'every-op');
  expect(new Set(graph.ops.map((op) => op.type))).toEqual(new Set(SUPPORTED_OPS));
  expect(graph.ops.map((op) => [op.type, op.attrs])).toEqual([
    ['DEPTHWISE_CONV_2D', { padding: 'VALID', strideH: 1, strideW: 1, dilationH: 2, dilationW: 2, activation: 'RELU', depthMultiplier: 2 }],
    ['MAX_POOL_2D', { padding: 'SAME', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'RELU6' }],
    ['PAD', {}],
    ['MEAN', { keepDims: true }],
    ['CONCATENATION', { axis: -1, activation: 'NONE' }],
    ['ADD', { activation: 'RELU' }],
    ['MUL', { activation: 'RELU_N1_TO_1' }],
    ['LOGISTIC', {}],
    ['TANH', {}],
    ['RELU', {}],
    ['RELU6', {}],
    ['HARD_SWISH', {}],
    ['DEQUANTIZE', {}],
    ['QUANTIZE', {}],
    ['FULLY_CONNECTED', { activation: 'NONE', keepNumDims: true }],
    ['AVERAGE_POOL_2D', { padding: 'VALID', strideH: 1, strideW: 1, filterH: 1, filterW: 1, activation: 'NONE' }],
    ['RESHAPE', { newShape: [1, 3] }],
    ['RESHAPE', { newShape: [1, 1, 1, 3] }],
    ['CONV_2D', { padding: 'SAME', strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'TANH' }],
    ['SOFTMAX', { beta: 0.5 }],
  ]);
  // The omitted FULLY_CONNECTED bias stays -1.
  expect(graph.ops[14]!.inputs).toEqual([graph.ops[13]!.outputs[0], graph.ops[14]!.inputs[1], -1]);
  expect(graph.tensors[1]!.quant).toEqual({ scale: [0.1, 0.2, 0.3, 0.4].map(Math.fround), zeroPoint: [0, 0, 0, 0], axis: 3 });
  expect(graph.ops.map((op) => opMacs(graph, op)).filter((n) => n > 0)).toEqual([
    1 * 2 * 2 * 4 * 3 * 3, // depthwise: N·outH·outW·outC·kH·kW
    1 * 3 * 8, // fully connected: batches·outUnits·inUnits
    1 * 1 * 1 * 2 * 1 * 1 * 3, // conv: N·outH·outW·outC·kH·kW·inC
  ]);
  expect(graphMacs(graph)).toBe(144 + 24 + 6);
});
