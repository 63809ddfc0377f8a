// `compile()` of the library: a model (a path, or the bytes of a .tflite) → everything tinyforge writes for it.
// An int8 .tflite is compiled as it is; a float model (float .tflite, TF.js LayersModel) is quantized to int8 first,
// calibrated on representative inputs, with the same quantizer as `tinyforge compile`.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { loadCalibrationData } from '../compiler/calibrate/calibration-data.ts';
import type { Graph } from '../formats/ir/graph.ts';
import { emitTflite } from '../compiler/emit/tflite/emit-tflite.ts';
import { importModel } from '../compiler/import/import-model.ts';
import { importTflite } from '../compiler/import/import-tflite.ts';
import type { QuantizeModelOptions } from '../compiler/quantize/quantize-model.ts';
import { loadTfliteGraph } from '../compiler/tflite/read-tflite.ts';
import { CompileInputError, compileInt8Graph, isFloatGraph, type CompileResult } from './compile-int8.ts';
import { quantizeToInt8 } from './quantize-to-int8.ts';
import { blobWithSelftest } from './selftest-blob.ts';

export { CompileInputError, type CompileResult } from './compile-int8.ts';

export interface CompileOptions extends Omit<QuantizeModelOptions, 'onProgress'> {
  /** Representative inputs for a float model: a .npy whose first axis is the sample, or a folder of them. */
  calibration?: string;
  /** The model's name (default: the file name, or 'model' for bytes). */
  name?: string;
  onProgress?: (done: number, total: number) => void;
}

export async function compile(model: string | Uint8Array, options: CompileOptions = {}): Promise<CompileResult> {
  const name = options.name ?? (typeof model === 'string' ? basename(model, extname(model)) : 'model');
  const tflite = model instanceof Uint8Array ? model
    : extname(model).toLowerCase() === '.tflite' ? new Uint8Array(readFileSync(model)) : undefined;
  const graph = tflite ? loadTfliteGraph(tflite, name) : importModel(model as string);
  if (!isFloatGraph(graph)) return withVectors(compileInt8Graph(name, graph, tflite ?? emitTflite(graph)));
  if (options.calibration === undefined) {
    throw new CompileInputError(`${typeof model === 'string' ? model : name} is a float model: give { calibration: 'data.npy' } (representative inputs) to quantize it to int8`);
  }
  return withVectors(await quantize(name, tflite ? importTflite(tflite, name) : graph, options));
}

/** The blob as `tinyforge compile` writes it: with its self-test vectors (api/selftest-blob.ts). */
function withVectors(result: CompileResult): CompileResult {
  return { ...result, blob: blobWithSelftest(result.blob) };
}

async function quantize(name: string, imported: Graph, options: CompileOptions): Promise<CompileResult> {
  if (imported.inputs.length !== 1) {
    throw new CompileInputError(`${name} has ${imported.inputs.length} inputs; calibration supports single-input models`);
  }
  const data = loadCalibrationData(options.calibration!, imported.tensors[imported.inputs[0]!]!.shape);
  return quantizeToInt8(name, imported, data, options);
}
