// The quantizer in a browser: a float model (a float .tflite, or a TF.js LayersModel's model.json and weight shards)
// and calibration samples (.npy / raw float32 .bin) → int8, with the same code and TensorFlow.js WASM backend as
// `tinyforge compile`. A separate entry from browser.ts because it brings TensorFlow.js: the page loads it only
// when a float model arrives.
import type { CompileResult } from './api/compile-int8.ts';
import { quantizeToInt8 } from './api/quantize-to-int8.ts';
import { calibrationFromFiles } from './compiler/calibrate/calibration-samples.ts';
import { importTflite } from './compiler/import/import-tflite.ts';
import { layersModelFromJson } from './compiler/import/layers-model-graph.ts';
import type { QuantizeModelOptions } from './compiler/quantize/quantize-model.ts';
import type { Graph } from './formats/ir/graph.ts';

export interface DroppedFile {
  name: string;
  bytes: Uint8Array;
}

export type FloatModel =
  | { kind: 'tflite'; name: string; bytes: Uint8Array }
  | { kind: 'layers'; name: string; modelJson: DroppedFile; shards: readonly DroppedFile[] };

function importFloat(model: FloatModel): Graph {
  if (model.kind === 'tflite') return importTflite(model.bytes, model.name);
  const shards = new Map(model.shards.map((f) => [f.name, f.bytes]));
  // Manifest paths may carry folders ('./group1-shard1of1.bin'): a dropped file has its name only.
  const shard = (path: string) => shards.get(path) ?? shards.get(path.split('/').pop()!);
  return layersModelFromJson(new TextDecoder().decode(model.modelJson.bytes), shard, model.name, model.modelJson.name, 'the files given with it');
}

/** Quantizes `model` on `calibration` (files in order, as `--calibration` takes a .npy or a folder of them). */
export async function quantizeFloatModel(model: FloatModel, calibration: readonly DroppedFile[], options: QuantizeModelOptions = {}): Promise<CompileResult> {
  const graph = importFloat(model);
  if (graph.inputs.length !== 1) throw new Error(`${model.name} has ${graph.inputs.length} inputs; calibration supports single-input models`);
  if (calibration.length === 0) throw new Error(`${model.name} is a float model: give calibration data with it (a .npy of representative inputs, first axis = sample) to quantize it to int8`);
  const data = calibrationFromFiles(calibration, graph.tensors[graph.inputs[0]!]!.shape, calibration.map((f) => f.name).join(', '));
  return quantizeToInt8(model.name, graph, data, options);
}
