// Picks the TensorFlow.js backend for float execution in Node: WASM (fast inference) when it
// initializes, the pure-JS cpu backend otherwise. tfjs-node is not used: it cannot install offline.
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { activateFloatBackend, type FloatBackend } from './float-backend.ts';

export type { FloatBackend } from './float-backend.ts';

let wasmPathsSet = false;

/** Makes `preferred` the active backend (falling back to cpu) and returns the one in use. */
export function useFloatBackend(preferred: FloatBackend = 'wasm'): Promise<FloatBackend> {
  return activateFloatBackend(preferred, () => {
    if (wasmPathsSet) return;
    const require = createRequire(import.meta.url);
    setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
    wasmPathsSet = true;
  });
}
