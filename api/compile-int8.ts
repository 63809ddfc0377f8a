// The int8 half of `compile()`: a graph that is int8 already (an int8 .tflite) → kernel calls, arena plan, blob.
// It reads no file and needs no float backend, so the page's bundle (browser.ts) compiles with it as the CLI does.
import type { Graph } from '../formats/ir/graph.ts';
import { compileGraph, type CompiledModel } from '../compiler/compile-model.ts';
import { writeBlob } from '../compiler/emit/blob/write-blob.ts';
import type { QuantizedModel } from '../compiler/quantize/quantize-model.ts';
import { loadTfliteGraph } from '../compiler/tflite/read-tflite.ts';

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

export class CompileInputError extends Error {
  override name = 'CompileInputError';
}

/** Float activations reach an op other than the QUANTIZE at a float32-I/O model's edge: a float (or hybrid) model. */
export function isFloatGraph(graph: Graph): boolean {
  return graph.ops.some((op) => op.type !== 'QUANTIZE' && op.inputs.some((id) => {
    const t = graph.tensors[id];
    return t !== undefined && t.dtype === 'float32' && !t.data;
  }));
}

export function compileInt8Graph(name: string, graph: Graph, tflite: Uint8Array): CompileResult {
  const compiled = compileGraph(graph);
  return { name, compiled, blob: writeBlob(compiled), tflite };
}

/** The bytes of an int8 .tflite → everything `compile()` gives for it. A float model is refused: quantizing it
 *  needs calibration data, which only `compile()` (Node) reads. */
export function compileInt8Tflite(tflite: Uint8Array, name = 'model'): CompileResult {
  const graph = loadTfliteGraph(tflite, name);
  if (isFloatGraph(graph)) {
    throw new CompileInputError(`${name} is a float model: quantize it to int8 first (tinyforge compile ${name}.tflite --calibration data.npy), then load the int8 .tflite`);
  }
  return compileInt8Graph(name, graph, tflite);
}
