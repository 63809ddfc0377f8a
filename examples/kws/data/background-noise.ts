// Background noise of three colours (white, pink, brown), unit RMS, for mixing at a chosen SNR.
import type { SeededRandom } from '../../../lib/seeded-random.ts';

export const NOISE_COLOURS = ['white', 'pink', 'brown'] as const;
export type NoiseColour = (typeof NOISE_COLOURS)[number];

export function makeNoise(colour: NoiseColour, length: number, rng: SeededRandom): Float64Array {
  const out = new Float64Array(length);
  // Pink: Paul Kellet's economy filter over white noise; brown: leaky integral of white noise.
  let b0 = 0, b1 = 0, b2 = 0, brown = 0;
  for (let i = 0; i < length; i++) {
    const w = rng.gaussian();
    if (colour === 'white') out[i] = w;
    else if (colour === 'pink') {
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      out[i] = b0 + b1 + b2 + w * 0.1848;
    } else {
      brown = 0.998 * brown + w;
      out[i] = brown;
    }
  }
  let mean = 0;
  for (const v of out) mean += v;
  mean /= length;
  let power = 0;
  for (let i = 0; i < length; i++) { out[i] -= mean; power += out[i] * out[i]; }
  const rms = Math.sqrt(power / length) || 1;
  for (let i = 0; i < length; i++) out[i] /= rms;
  return out;
}
