// Every CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED op of every int8 corpus model, run alone on
// TensorFlow Lite Micro's own input tensor for it, must reproduce TFLM's output tensor byte for byte,
// in the scalar and the SIMD build. Needs `npm run build` and the conformance corpus.
import { describe, expect, it } from 'vitest';
import { loadTfliteGraph } from '../../compiler/tflite/read-tflite.ts';
import type { Graph, Op } from '../../formats/ir/graph.ts';
import { PREPARE } from '../../compiler/prepare/registry.ts';
import { corpusModelNames, goldenCases, readModel } from '../conformance-corpus.ts';
import { runPrepared } from './kernel-harness.ts';

const OPS = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);

function int8Ops(graph: Graph): Op[] {
  return graph.ops.filter((op) => OPS.has(op.type) && graph.tensors[op.inputs[0]].dtype === 'int8');
}

describe('conv, depthwise and fully connected layers against TFLite Micro goldens', () => {
  const models = corpusModelNames().filter((name) => int8Ops(loadTfliteGraph(readModel(name), name)).length > 0);

  it('the corpus has int8 models with these ops', () => {
    expect(models).toEqual(expect.arrayContaining(['kws_ref_model', 'vww_96_int8', 'pretrainedResnet_quant', 'ad01_int8']));
  });

  for (const model of models) {
    it(model, () => {
      const graph = loadTfliteGraph(readModel(model), model);
      const ops = int8Ops(graph);
      let compared = 0;
      for (const golden of goldenCases(model)) {
        for (const op of ops) {
          const calls = PREPARE[op.type]!(graph, op);
          const input = op.inputs[0];
          const output = op.outputs[0];
          const expected = golden.tensor(output);
          for (const variant of ['scalar', 'simd'] as const) {
            const got = runPrepared(variant, graph, calls, new Map([[input, golden.tensor(input)]])).get(output)!;
            const label = `${model}/${golden.name} op ${op.index} ${op.type} (${calls[0].layout.name}, ${variant})`;
            expect(got.length, label).toBe(expected.length);
            const firstDiff = got.findIndex((b, i) => b !== expected[i]);
            expect(firstDiff, `${label}: first differing byte`).toBe(-1);
            compared++;
          }
        }
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});
