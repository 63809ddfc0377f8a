// `run()` of the library: one inference in the WASM runtime. For many inferences keep a `Runtime` instead
// (`Runtime.create(result.blob)`): it lays the model out once.
import type { CompileResult } from './compile-int8.ts';
import { openModel } from './load-model.ts';
import { runModel, type RunOptions } from './run-model.ts';

export type { RunOptions } from './run-model.ts';

/** A model file or folder, the bytes of a blob or an int8 .tflite, or a `compile()` result; inputs as raw tensor bytes, in graph order. */
export function run(model: string | Uint8Array | CompileResult, inputs: Uint8Array | readonly Uint8Array[], options: RunOptions = {}): Uint8Array[] {
  return runModel(openModel(model), inputs, options);
}
