// Every corpus model reads, and its IR matches what TFLite Micro recorded in meta.json:
// op types, tensor wiring, per-op and total MACs, input/output shapes and quantization.
import { describe, expect, it } from 'vitest';
import { loadTfliteGraph } from '../../compiler/tflite/read-tflite.ts';
import { readTflite } from '../../compiler/tflite/read-tflite.ts';
import { graphMacs, opMacs } from '../../compiler/ir/macs.ts';
import { corpusModelNames, readMeta, readModel, type TensorInfo } from '../conformance-corpus.ts';
import type { Tensor } from '../../formats/ir/graph.ts';

function expectTensorMatches(t: Tensor, info: TensorInfo) {
  expect(t.dtype).toBe(info.type.toLowerCase());
  expect(t.shape).toEqual(info.shape);
  if (info.scale !== undefined) {
    expect(t.quant?.scale).toHaveLength(1);
    expect(Math.fround(t.quant!.scale[0]!)).toBe(Math.fround(info.scale));
    expect(t.quant!.zeroPoint).toEqual([info.zeroPoint]);
  }
}

describe('corpus models', () => {
  for (const name of corpusModelNames()) {
    it(`${name}: ops, wiring and MACs match meta.json`, () => {
      const meta = readMeta(name);
      const graph = loadTfliteGraph(readModel(name), name);
      expect(graph.ops.map((op) => ({ index: op.index, op: op.type, inputs: op.inputs, outputs: op.outputs, macs: opMacs(graph, op) })))
        .toEqual(meta.ops.map((m) => ({ index: m.index, op: m.op, inputs: m.inputs, outputs: m.outputs, macs: m.macs ?? 0 })));
      expect(graphMacs(graph)).toBe(meta.totalMacs);
    });

    it(`${name}: inputs and outputs match meta.json`, () => {
      const meta = readMeta(name);
      const graph = loadTfliteGraph(readModel(name), name);
      // Cases without goldens (float and hybrid models) record no tensors.
      if (meta.inputs.length === 0) return;
      expect(graph.inputs).toHaveLength(meta.inputs.length);
      expect(graph.outputs).toHaveLength(meta.outputs.length);
      meta.inputs.forEach((info, k) => expectTensorMatches(graph.tensors[graph.inputs[k]!]!, info));
      meta.outputs.forEach((info, k) => expectTensorMatches(graph.tensors[graph.outputs[k]!]!, info));
    });
  }

  it('reads the raw model: schema version, opcodes with versions, metadata', () => {
    const model = readTflite(readModel('kws_ref_model'), 'kws_ref_model');
    expect(model.version).toBe(3);
    expect(model.operatorCodes.map((c) => `${c.name}@${c.version}`)).toEqual([
      'CONV_2D@3', 'DEPTHWISE_CONV_2D@3', 'AVERAGE_POOL_2D@2', 'RESHAPE@1', 'FULLY_CONNECTED@4', 'SOFTMAX@2',
    ]);
    expect(model.minRuntimeVersion).toBe('1.5.0');
    const first = model.subgraphs[0]!.operators[0]!;
    expect(first.builtinOptions).toEqual({
      type: 'Conv2DOptions', padding: 'SAME', strideW: 2, strideH: 2, dilationWFactor: 1, dilationHFactor: 1,
      activation: 'RELU', quantizedBiasType: 0,
    });
  });

  it('keeps per-axis quantization with its quantized dimension', () => {
    const graph = loadTfliteGraph(readModel('vww_96_int8'), 'vww_96_int8');
    const conv = graph.ops[0]!;
    const filter = graph.tensors[conv.inputs[1]!]!;
    expect(filter.quant!.scale).toHaveLength(filter.shape[0]!);
    expect(filter.quant!.axis).toBe(0);
    expect(filter.data).toHaveLength(filter.shape.reduce((n, d) => n * d, 1));
    const dw = graph.ops[1]!;
    const dwFilter = graph.tensors[dw.inputs[1]!]!;
    expect(dwFilter.quant!.axis).toBe(3);
    expect(dwFilter.quant!.scale).toHaveLength(dwFilter.shape[3]!);
  });

  it('reads the hybrid keyword-spotting model: float activations, int8 weights', () => {
    const graph = loadTfliteGraph(readModel('kws_ref_model_float32'), 'kws_ref_model_float32');
    const conv = graph.ops[0]!;
    expect(graph.tensors[conv.inputs[0]!]!.dtype).toBe('float32');
    expect(graph.tensors[conv.inputs[1]!]!.dtype).toBe('int8');
    expect(graph.tensors[conv.outputs[0]!]!.dtype).toBe('float32');
  });

  it('decodes micro_speech options: reshape new_shape, depth multiplier, softmax beta', () => {
    const graph = loadTfliteGraph(readModel('micro_speech_quantized'), 'micro_speech_quantized');
    expect(graph.ops.map((op) => [op.type, op.attrs])).toEqual([
      ['RESHAPE', { newShape: [-1, 49, 40, 1] }],
      ['DEPTHWISE_CONV_2D', {
        padding: 'SAME', strideH: 2, strideW: 2, dilationH: 1, dilationW: 1, activation: 'RELU', depthMultiplier: 8,
      }],
      ['FULLY_CONNECTED', { activation: 'NONE', keepNumDims: false }],
      ['SOFTMAX', { beta: 1 }],
    ]);
  });
});
