// Making a TensorFlow.js backend the active one for float execution: WASM when it starts, the pure-JS cpu backend
// otherwise. Where the WASM binaries are is the caller's: tfjs-backend.ts on Node, its browser twin in the page.
import * as tf from '@tensorflow/tfjs';

export type FloatBackend = 'wasm' | 'cpu';

/** Makes `preferred` the active backend (falling back to cpu) and returns the one in use. */
export async function activateFloatBackend(preferred: FloatBackend, locateWasm: () => void): Promise<FloatBackend> {
  if (preferred === 'wasm') {
    try {
      locateWasm();
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
