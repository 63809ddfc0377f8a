// `compile()` of the library: a model (a path, or the bytes of a .tflite) → everything tinyforge writes for it.
// An int8 .tflite is compiled as it is; a float model (float .tflite, TF.js LayersModel) is quantized to int8 first,
// calibrated on representative inputs, with the same quantizer as `tinyforge compile`.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Graph } from '../formats/ir/graph.ts';
import { loadCalibrationData } from '../compiler/calibrate/calibration-data.ts';
import { useFloatBackend } from '../compiler/calibrate/tfjs-backend.ts';
import { compileGraph, type CompiledModel } from '../compiler/compile-model.ts';
import { writeBlob } from '../compiler/emit/blob/write-blob.ts';
import { emitTflite } from '../compiler/emit/tflite/emit-tflite.ts';
import { importModel } from '../compiler/import/import-model.ts';
import { importTflite } from '../compiler/import/import-tflite.ts';
import { quantizeModel, type QuantizeModelOptions, type QuantizedModel } from '../compiler/quantize/quantize-model.ts';
import { loadTfliteGraph } from '../compiler/tflite/read-tflite.ts';

export interface CompileOptions extends Omit<QuantizeModelOptions, 'onProgress'> {
  /** Representative inputs for a float model: a .npy whose first axis is the sample, or a folder of them. */
  calibration?: string;
  /** The model's name (default: the file name, or 'model' for bytes). */
  name?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface CompileResult {
  name: string;
  /** The int8 graph, its kernel calls and arena plan. */
  compiled: CompiledModel;
  /** The runtime's model blob (`model.tfb`): what `run()`, `simulate()` and `Runtime.create()` take. */
  blob: Uint8Array;
  /** An int8 .tflite for TensorFlow Lite (Micro): the input itself when it was int8 already. */
  tflite: Uint8Array;
  /** Present when a float model was quantized: the float reference, ranges and held-back samples. */
  quantization?: QuantizedModel;
}

/** Float activations reach an op other than the QUANTIZE at a float32-I/O model's edge: a float (or hybrid) model. */
function isFloat(graph: Graph): boolean {
  return graph.ops.some((op) => op.type !== 'QUANTIZE' && op.inputs.some((id) => {
    const t = graph.tensors[id];
    return t !== undefined && t.dtype === 'float32' && !t.data;
  }));
}

export class CompileInputError extends Error {
  override name = 'CompileInputError';
}

export async function compile(model: string | Uint8Array, options: CompileOptions = {}): Promise<CompileResult> {
  const name = options.name ?? (typeof model === 'string' ? basename(model, extname(model)) : 'model');
  const tflite = model instanceof Uint8Array ? model
    : extname(model).toLowerCase() === '.tflite' ? new Uint8Array(readFileSync(model)) : undefined;
  const graph = tflite ? loadTfliteGraph(tflite, name) : importModel(model as string);
  if (!isFloat(graph)) return fromInt8(name, graph, tflite ?? emitTflite(graph));
  if (options.calibration === undefined) {
    throw new CompileInputError(`${typeof model === 'string' ? model : name} is a float model: give { calibration: 'data.npy' } (representative inputs) to quantize it to int8`);
  }
  return quantize(name, tflite ? importTflite(tflite, name) : graph, options);
}

function fromInt8(name: string, graph: Graph, tflite: Uint8Array): CompileResult {
  const compiled = compileGraph(graph);
  return { name, compiled, blob: writeBlob(compiled), tflite };
}

async function quantize(name: string, imported: Graph, options: CompileOptions): Promise<CompileResult> {
  if (imported.inputs.length !== 1) {
    throw new CompileInputError(`${name} has ${imported.inputs.length} inputs; calibration supports single-input models`);
  }
  const data = loadCalibrationData(options.calibration!, imported.tensors[imported.inputs[0]!]!.shape);
  await useFloatBackend('wasm');
  const quantization = quantizeModel(imported, data, options);
  const compiled = compileGraph(quantization.int8Graph);
  const tflite = emitTflite(quantization.int8Graph, { description: `tinyforge int8 from ${quantization.floatGraph.name}` });
  return { name, compiled, blob: writeBlob(compiled), tflite, quantization };
}
