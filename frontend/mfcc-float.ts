// The float front end (training and evaluation): one second of 16 kHz audio → 49×10 MFCC, as MLPerf Tiny's
// keyword-spotting reference computes them with tf.signal (float64 here; tf uses float32, a ~1e-6 difference).
import { mfccDctMatrix } from './dct.ts';
import { Fft } from './fft.ts';
import { periodicHann } from './hann-window.ts';
import { linearToMelWeightMatrix } from './mel-weights.ts';
import {
  FEATURE_COUNT, FFT_LENGTH, FRAME_LENGTH, FRAME_STEP, LOG_OFFSET, MEL_BANDS, MEL_LOWER_HZ, MEL_UPPER_HZ,
  MFCC_COEFFICIENTS, NUM_FRAMES, SAMPLE_RATE, SPECTRUM_BINS,
} from './mfcc-config.ts';
import { normalizeAudio } from './normalize-audio.ts';

const window = periodicHann(FRAME_LENGTH);
const fft = new Fft(FFT_LENGTH);
const melWeights = linearToMelWeightMatrix(MEL_BANDS, SPECTRUM_BINS, SAMPLE_RATE, MEL_LOWER_HZ, MEL_UPPER_HZ);
const dct = mfccDctMatrix(MEL_BANDS, MFCC_COEFFICIENTS);

/** |STFT| of normalized audio: [NUM_FRAMES][SPECTRUM_BINS] row-major (tf.abs(tf.signal.stft(x, 480, 320, 512))). */
export function magnitudeSpectrogram(normalized: Float64Array): Float64Array {
  const out = new Float64Array(NUM_FRAMES * SPECTRUM_BINS);
  const re = new Float64Array(FFT_LENGTH);
  const im = new Float64Array(FFT_LENGTH);
  for (let f = 0; f < NUM_FRAMES; f++) {
    re.fill(0);
    im.fill(0);
    for (let n = 0; n < FRAME_LENGTH; n++) re[n] = normalized[f * FRAME_STEP + n] * window[n];
    fft.transform(re, im);
    for (let k = 0; k < SPECTRUM_BINS; k++) out[f * SPECTRUM_BINS + k] = Math.hypot(re[k], im[k]);
  }
  return out;
}

/** log(mel + 1e-6): [NUM_FRAMES][MEL_BANDS]. */
export function logMelSpectrogram(spectrogram: Float64Array): Float64Array {
  const out = new Float64Array(NUM_FRAMES * MEL_BANDS);
  for (let f = 0; f < NUM_FRAMES; f++) {
    for (let j = 0; j < MEL_BANDS; j++) {
      let sum = 0;
      for (let k = 0; k < SPECTRUM_BINS; k++) sum += spectrogram[f * SPECTRUM_BINS + k] * melWeights[k * MEL_BANDS + j];
      out[f * MEL_BANDS + j] = Math.log(sum + LOG_OFFSET);
    }
  }
  return out;
}

/** First MFCC_COEFFICIENTS of the scaled DCT-II per frame: [NUM_FRAMES][MFCC_COEFFICIENTS]. */
export function mfccFromLogMel(logMel: Float64Array): Float32Array {
  const out = new Float32Array(FEATURE_COUNT);
  for (let f = 0; f < NUM_FRAMES; f++) {
    for (let c = 0; c < MFCC_COEFFICIENTS; c++) {
      let sum = 0;
      for (let j = 0; j < MEL_BANDS; j++) sum += dct[c * MEL_BANDS + j] * logMel[f * MEL_BANDS + j];
      out[f * MFCC_COEFFICIENTS + c] = sum;
    }
  }
  return out;
}

/** One second of audio (any scale: int16 samples or floats; shorter clips are zero-padded) → 490 MFCC, frame-major. */
export function mfccFloat(samples: ArrayLike<number>): Float32Array {
  return mfccFromLogMel(logMelSpectrogram(magnitudeSpectrogram(normalizeAudio(samples))));
}
