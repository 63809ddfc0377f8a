// MLPerf Tiny's first step: divide the clip by its largest sample value (tf.reduce_max, signed), zero-pad to one
// second, clip to [-1, 1] (the reference clamps after mixing in background). A clip whose largest value is not
// positive would divide by zero or flip sign in the reference; we divide by its largest magnitude instead.
import { CLIP_SAMPLES } from './mfcc-config.ts';

export function normalizeAudio(samples: ArrayLike<number>): Float64Array {
  if (samples.length > CLIP_SAMPLES) {
    throw new Error(`the front end takes one second (${CLIP_SAMPLES} samples at 16 kHz), got ${samples.length} samples: slice the recording into 1 s windows`);
  }
  let max = -Infinity;
  let maxAbs = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i];
    if (v > max) max = v;
    if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
  }
  const divisor = max > 0 ? max : maxAbs;
  const out = new Float64Array(CLIP_SAMPLES);
  if (divisor === 0) return out;
  for (let i = 0; i < samples.length; i++) out[i] = Math.max(-1, Math.min(1, samples[i] / divisor));
  return out;
}
