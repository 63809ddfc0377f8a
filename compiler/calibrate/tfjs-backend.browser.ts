// Picks the TensorFlow.js backend for float execution in a browser: WASM, its binaries emitted by the bundler as
// assets beside the page (nothing is fetched from elsewhere), the cpu backend if WASM does not start. The same
// binaries as on Node (tfjs-backend.ts), so calibration sees the same float values.
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { activateFloatBackend, type FloatBackend } from './float-backend.ts';

export type { FloatBackend } from './float-backend.ts';

let wasmPathsSet = false;

export function useFloatBackend(preferred: FloatBackend = 'wasm'): Promise<FloatBackend> {
  return activateFloatBackend(preferred, () => {
    if (wasmPathsSet) return;
    setWasmPaths({
      'tfjs-backend-wasm.wasm': new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm', import.meta.url).href,
      'tfjs-backend-wasm-simd.wasm': new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm', import.meta.url).href,
      'tfjs-backend-wasm-threaded-simd.wasm': new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm', import.meta.url).href,
    });
    wasmPathsSet = true;
  });
}
