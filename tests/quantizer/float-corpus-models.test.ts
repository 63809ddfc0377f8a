// Quantizing the corpus' float models with the corpus' calibration data, measured on held-back
// samples (every 5th, not used to calibrate) against the float model — and against TensorFlow's
// own post-training int8 quantization of the same network (kws_ref_model.tflite) as the bar.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, beforeAll, expect, it } from 'vitest';
import type { Graph, Tensor } from '../../formats/ir/graph.ts';
import { importTflite } from '../../compiler/import/import-tflite.ts';
import { loadTfliteGraph } from '../../compiler/tflite/read-tflite.ts';
import { loadCalibrationData, splitCalibration } from '../../compiler/calibrate/calibration-data.ts';
import { useFloatBackend } from '../../compiler/calibrate/tfjs-backend.ts';
import { quantizeModel } from '../../compiler/quantize/quantize-model.ts';
import { accuracyReport, formatReport } from '../../compiler/report/accuracy-report.ts';
import { corpusDir } from '../conformance-corpus.ts';

/**
 * The int8 graph with its activation tensors renumbered to the float graph's ids (the two have the
 * same ops in the same order), so accuracyReport compares layer by layer.
 */
function alignTensorIds(int8: Graph, float: Graph): Graph {
  expect(int8.ops.map((o) => o.type)).toEqual(float.ops.map((o) => o.type));
  const map = new Map<number, number>([[int8.inputs[0]!, float.inputs[0]!]]);
  int8.ops.forEach((op, k) => map.set(op.outputs[0]!, float.ops[k]!.outputs[0]!));
  let next = float.tensors.length;
  for (const t of int8.tensors) if (!map.has(t.id)) map.set(t.id, next++);
  const tensors: Tensor[] = Array.from({ length: next }, (_, id) => ({ id, name: `unused ${id}`, shape: [1], dtype: 'float32' }));
  for (const t of int8.tensors) tensors[map.get(t.id)!] = { ...t, id: map.get(t.id)! };
  const m = (t: number) => (t < 0 ? t : map.get(t)!);
  return {
    ...int8, tensors,
    ops: int8.ops.map((o) => ({ ...o, inputs: o.inputs.map(m), outputs: o.outputs.map(m) })),
    inputs: int8.inputs.map(m), outputs: int8.outputs.map(m),
  };
}

describe('quantizing the corpus float models', () => {
  beforeAll(async () => { await useFloatBackend('wasm'); });
  const file = (...p: string[]) => join(corpusDir(), ...p);

  /** Quantizes a corpus float model with its calibration data, and reports it and TensorFlow's own int8 model on the same held-back samples. */
  function oursAndTensorFlows(floatModel: string, calibration: string, tfInt8Model: string) {
    const graph = importTflite(new Uint8Array(readFileSync(file('models', `${floatModel}.tflite`))), floatModel);
    const data = loadCalibrationData(file('calibration', calibration), graph.tensors[graph.inputs[0]!]!.shape);
    const q = quantizeModel(graph, data, {});
    const ours = accuracyReport(q.floatGraph, q.int8Graph, q.evaluation);
    const tfInt8 = loadTfliteGraph(new Uint8Array(readFileSync(file('models', `${tfInt8Model}.tflite`))), tfInt8Model);
    const theirs = accuracyReport(q.floatGraph, alignTensorIds(tfInt8, q.floatGraph), q.evaluation);
    console.log(formatReport(ours));
    console.log(`TensorFlow's int8 model on the same samples:\n${formatReport(theirs)}`);
    ours.layers.forEach((l, k) => expect(l.sqnrDb, `${l.op} ${l.name}`).toBeGreaterThan(theirs.layers[k]!.sqnrDb - 0.5));
    return { q, ours, theirs };
  }

  it('kws_ref_model_float32: every layer as accurate as TensorFlow\'s int8 model, top-1 agreement ≥ 97% strictly', () => {
    const { q, ours, theirs } = oursAndTensorFlows('kws_ref_model_float32', 'kws_calib_x.npy', 'kws_ref_model');
    expect([q.calibration.samples, q.evaluation.samples]).toEqual([288, 72]);
    // With bias correction (the default) 70 of 72 agree strictly (first maximum wins), as many as
    // TensorFlow's int8 model; without it 69 (two of the three misses int8 ties). The int8 input
    // step of 0.56 on MFCC features (first layer ≈ 23 dB) limits any int8 model here.
    expect(ours.top1Agreement!).toBeGreaterThanOrEqual(0.97);
    expect(ours.top1Agreement!).toBeGreaterThanOrEqual(theirs.top1Agreement!);
  });

  it('hello_world_float (regression): int8 sine within a few output steps of the float one', () => {
    const graph = importTflite(new Uint8Array(readFileSync(file('models', 'hello_world_float.tflite'))), 'hello_world_float');
    const data = loadCalibrationData(file('calibration', 'hello_world_calib_x.npy'), graph.tensors[graph.inputs[0]!]!.shape);
    const q = quantizeModel(graph, data, {});
    const report = accuracyReport(q.floatGraph, q.int8Graph, q.evaluation);
    console.log(formatReport(report));
    expect(report.task).toBe('regression');
    expect(report.samples).toBe(splitCalibration(data, 0.2).evaluation.samples);
    // One output step is ≈ 0.008 (range ≈ [−1, 1]); the input step (2π/255 ≈ 0.025 rad) alone
    // moves sin(x) by up to 0.0125.
    const outStep = q.int8Graph.tensors[q.int8Graph.outputs[0]!]!.quant!.scale[0]!;
    expect(report.outputMaxAbsError).toBeLessThan(8 * outStep);
    expect(report.outputMeanAbsError).toBeLessThan(2 * outStep);
    for (const l of report.layers) expect(l.sqnrDb, l.name).toBeGreaterThan(30);
  });

  it('hello_world_float: as close to the float sine as TensorFlow\'s int8 model (hello_world_int8), layer by layer', () => {
    const { ours, theirs } = oursAndTensorFlows('hello_world_float', 'hello_world_calib_x.npy', 'hello_world_int8');
    expect(ours.outputMeanAbsError!).toBeLessThanOrEqual(theirs.outputMeanAbsError!);
  });
});
