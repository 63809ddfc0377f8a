// The body of the library's `run()`, for a model already opened (open-model.ts): one inference in the WASM
// runtime. Reads no file: Node's `run()` and the page's both end here.
import { Runtime, type KernelVariant } from '../runtime-as/index.ts';
import type { OpenedModel } from './open-model.ts';

export interface RunOptions {
  /** Kernel build: 'simd' (default) or 'scalar'; both give the same bytes. */
  variant?: KernelVariant;
}

/** Inputs as raw tensor bytes, in graph order; outputs likewise. */
export function runModel({ blobBytes }: OpenedModel, inputs: Uint8Array | readonly Uint8Array[], options: RunOptions = {}): Uint8Array[] {
  const runtime = Runtime.create(blobBytes, { variant: options.variant ?? 'simd' });
  return runtime.invoke(inputs instanceof Uint8Array ? [inputs] : [...inputs]);
}
