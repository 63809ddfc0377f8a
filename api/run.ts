// `run()` of the library: one inference in the WASM runtime. For many inferences keep a `Runtime` instead
// (`Runtime.create(result.blob)`): it lays the model out once.
import { Runtime, type KernelVariant } from '../runtime-as/index.ts';
import type { CompileResult } from './compile.ts';
import { openModel } from './load-model.ts';

export interface RunOptions {
  /** Kernel build: 'simd' (default) or 'scalar'; both give the same bytes. */
  variant?: KernelVariant;
}

/** A model file or folder, the bytes of a blob or an int8 .tflite, or a `compile()` result; inputs as raw tensor bytes, in graph order. */
export function run(model: string | Uint8Array | CompileResult, inputs: Uint8Array | readonly Uint8Array[], options: RunOptions = {}): Uint8Array[] {
  const { blobBytes } = openModel(model);
  const runtime = Runtime.create(blobBytes, { variant: options.variant ?? 'simd' });
  return runtime.invoke(inputs instanceof Uint8Array ? [inputs] : [...inputs]);
}
