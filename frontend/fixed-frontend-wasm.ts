// Host side of the AssemblyScript fixed-point front end (build/kws-frontend.wasm, built by build.mjs):
// one second of int16 audio → 490 int8 features, bit-identical to the C twin.
import { featureQuantization, type FeatureQuantization } from './fixed-point-format.ts';
import { frontendModule } from './frontend-wasm.ts';
import { CLIP_SAMPLES, FEATURE_COUNT, MLPERF_INPUT_SCALE, MLPERF_INPUT_ZERO_POINT } from './mfcc-config.ts';

export { FRONTEND_WASM_PATH, loadFrontendModule } from './frontend-wasm.ts';

interface FrontendExports {
  memory: WebAssembly.Memory;
  heap_base(): number;
  scratch_bytes(): number;
  kws_frontend(samples: number, count: number, out: number, scratch: number, mul: number, shift: number, zp: number): number;
}

export interface FixedFrontend {
  /** int16 samples (≤ 16000; shorter clips are zero-padded) → int8 features [49][10]. */
  features(samples: Int16Array): Int8Array;
}

export function createFixedFrontend(
  quantization: FeatureQuantization = featureQuantization(MLPERF_INPUT_SCALE, MLPERF_INPUT_ZERO_POINT),
): FixedFrontend {
  const instance = new WebAssembly.Instance(frontendModule(), {
    env: { abort: () => { throw new Error('kws front end: wasm abort'); } },
  });
  const ex = instance.exports as unknown as FrontendExports;
  const samplesAt = (ex.heap_base() + 15) & ~15;
  const scratchAt = samplesAt + CLIP_SAMPLES * 2;
  const outAt = scratchAt + ex.scratch_bytes();
  const needed = outAt + FEATURE_COUNT;
  if (needed > ex.memory.buffer.byteLength) ex.memory.grow(Math.ceil((needed - ex.memory.buffer.byteLength) / 65536));
  return {
    features(samples: Int16Array): Int8Array {
      if (samples.length > CLIP_SAMPLES) {
        throw new Error(`the front end takes one second (${CLIP_SAMPLES} samples), got ${samples.length}: slice the recording into 1 s windows`);
      }
      new Int16Array(ex.memory.buffer, samplesAt, samples.length).set(samples);
      const rc = ex.kws_frontend(samplesAt, samples.length, outAt, scratchAt, quantization.multiplier, quantization.shift, quantization.zeroPoint);
      if (rc !== 0) throw new Error(`kws front end returned ${rc}`);
      return new Int8Array(ex.memory.buffer, outAt, FEATURE_COUNT).slice();
    },
  };
}
