// Integer tables of the fixed-point front end, derived from the float definitions. generate-tables.ts writes them
// into the AssemblyScript and C twins so both read the very same numbers (no libm differences between twins).
import { mfccDctMatrix } from './dct.ts';
import { DCT_Q, MEL_WEIGHT_Q, TWIDDLE_Q, WINDOW_Q } from './fixed-point-format.ts';
import { periodicHann } from './hann-window.ts';
import { linearToMelWeightMatrix } from './mel-weights.ts';
import { FFT_LENGTH, FRAME_LENGTH, MEL_BANDS, MEL_LOWER_HZ, MEL_UPPER_HZ, MFCC_COEFFICIENTS, SAMPLE_RATE, SPECTRUM_BINS } from './mfcc-config.ts';

export interface FixedPointTables {
  hann: Int32Array;
  /** cos/sin of −2πk/256, k < 128 (the half-size complex FFT). */
  fftCos: Int32Array;
  fftSin: Int32Array;
  /** cos/sin of −2πk/512, k ≤ 256 (the real-FFT split). */
  splitCos: Int32Array;
  splitSin: Int32Array;
  /** Band j covers bins melStart[j] … melStart[j] + melLength[j] − 1 with weights melWeights[melOffset[j] …]. */
  melStart: Int32Array;
  melLength: Int32Array;
  melOffset: Int32Array;
  melWeights: Int32Array;
  /** [MFCC_COEFFICIENTS][MEL_BANDS]. */
  dct: Int32Array;
}

const q = (x: number, bits: number) => Math.round(x * 2 ** bits);

export function fixedPointTables(): FixedPointTables {
  const half = FFT_LENGTH / 2;
  const hann = Int32Array.from(periodicHann(FRAME_LENGTH), (w) => q(w, WINDOW_Q));
  const fftCos = new Int32Array(half / 2), fftSin = new Int32Array(half / 2);
  for (let k = 0; k < half / 2; k++) {
    fftCos[k] = q(Math.cos((2 * Math.PI * k) / half), TWIDDLE_Q);
    fftSin[k] = q(-Math.sin((2 * Math.PI * k) / half), TWIDDLE_Q);
  }
  const splitCos = new Int32Array(half + 1), splitSin = new Int32Array(half + 1);
  for (let k = 0; k <= half; k++) {
    splitCos[k] = q(Math.cos((2 * Math.PI * k) / FFT_LENGTH), TWIDDLE_Q);
    splitSin[k] = q(-Math.sin((2 * Math.PI * k) / FFT_LENGTH), TWIDDLE_Q);
  }
  const mel = linearToMelWeightMatrix(MEL_BANDS, SPECTRUM_BINS, SAMPLE_RATE, MEL_LOWER_HZ, MEL_UPPER_HZ);
  const melStart = new Int32Array(MEL_BANDS), melLength = new Int32Array(MEL_BANDS), melOffset = new Int32Array(MEL_BANDS);
  const weights: number[] = [];
  for (let j = 0; j < MEL_BANDS; j++) {
    let first = -1, last = -1;
    for (let k = 0; k < SPECTRUM_BINS; k++) {
      if (mel[k * MEL_BANDS + j] > 0) { if (first < 0) first = k; last = k; }
    }
    if (first < 0) throw new Error(`mel band ${j} covers no FFT bin: too many bands for ${FFT_LENGTH}-point FFT`);
    melStart[j] = first;
    melLength[j] = last - first + 1;
    melOffset[j] = weights.length;
    for (let k = first; k <= last; k++) weights.push(q(mel[k * MEL_BANDS + j], MEL_WEIGHT_Q));
  }
  const dct = Int32Array.from(mfccDctMatrix(MEL_BANDS, MFCC_COEFFICIENTS), (d) => q(d, DCT_Q));
  return { hann, fftCos, fftSin, splitCos, splitSin, melStart, melLength, melOffset, melWeights: Int32Array.from(weights), dct };
}
