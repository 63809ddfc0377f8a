// Picks the TensorFlow.js backend for float execution in Node: WASM (fast inference) when it
// initializes, the pure-JS cpu backend otherwise. tfjs-node is not used: it cannot install offline.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

export type FloatBackend = 'wasm' | 'cpu';

let wasmPathsSet = false;

/** Makes `preferred` the active backend (falling back to cpu) and returns the one in use. */
export async function useFloatBackend(preferred: FloatBackend = 'wasm'): Promise<FloatBackend> {
  if (preferred === 'wasm') {
    if (!wasmPathsSet) {
      const require = createRequire(import.meta.url);
      setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
      wasmPathsSet = true;
    }
    try {
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return 'wasm';
      }
    } catch {
      // fall through to cpu
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}
