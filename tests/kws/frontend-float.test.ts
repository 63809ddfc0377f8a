// The float front end against tfjs's own tf.signal (an independent STFT) and the definitions it follows.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mfccDctMatrix } from '../../frontend/dct.ts';
import { periodicHann } from '../../frontend/hann-window.ts';
import { hertzToMel, linearToMelWeightMatrix } from '../../frontend/mel-weights.ts';
import { magnitudeSpectrogram, mfccFloat } from '../../frontend/mfcc-float.ts';
import { FEATURE_COUNT, NUM_FRAMES, SPECTRUM_BINS } from '../../frontend/mfcc-config.ts';
import { normalizeAudio } from '../../frontend/normalize-audio.ts';
import { corpusDir } from '../conformance-corpus.ts';
import { syntheticClips } from './test-clips.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('float MFCC front end', () => {
  it('makes 49 frames × 10 coefficients from one second', () => {
    expect(NUM_FRAMES).toBe(49);
    expect(mfccFloat(new Int16Array(16000)).length).toBe(FEATURE_COUNT);
  });

  it('uses the periodic Hann window of tf.signal.hannWindow', () => {
    const theirs = tf.signal.hannWindow(480).dataSync();
    const ours = periodicHann(480);
    for (let i = 0; i < 480; i++) expect(ours[i]).toBeCloseTo(theirs[i], 6);
  });

  it('computes |STFT| like tf.signal.stft(x, 480, 320, 512) on a chirp and a clipped square', () => {
    for (const c of syntheticClips().filter((c) => /chirp|square/.test(c.name))) {
      const x = normalizeAudio(c.samples);
      const ours = magnitudeSpectrogram(x);
      const theirs = tf.tidy(() => tf.abs(tf.signal.stft(tf.tensor1d(Float32Array.from(x)), 480, 320, 512)).dataSync());
      expect(theirs.length).toBe(NUM_FRAMES * SPECTRUM_BINS);
      let peak = 0, worst = 0;
      for (let i = 0; i < theirs.length; i++) peak = Math.max(peak, theirs[i]);
      for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
      // tfjs runs in float32: agreement to ~1e-5 of the spectrum's peak.
      expect(worst / peak, c.name).toBeLessThan(2e-5);
    }
  });

  it('builds the mel filterbank as tf.signal.linear_to_mel_weight_matrix: DC zeroed, triangles in mel space', () => {
    const w = linearToMelWeightMatrix(40, 257, 16000, 20, 4000);
    for (let j = 0; j < 40; j++) expect(w[j]).toBe(0);
    const lo = hertzToMel(20), hi = hertzToMel(4000), step = (hi - lo) / 41;
    // Bin 64 is 2000 Hz: it lies on the rising edge of one band and the falling edge of the next, weights summing to 1.
    const mel2000 = hertzToMel(2000);
    const band = Math.floor((mel2000 - lo) / step) - 1;
    const rising = (mel2000 - (lo + step * (band + 1))) / step;
    expect(w[64 * 40 + band + 1]).toBeCloseTo(rising, 12);
    expect(w[64 * 40 + band]).toBeCloseTo(1 - rising, 12);
    // Above 4000 Hz nothing is kept.
    for (let k = 129; k < 257; k++) for (let j = 0; j < 40; j++) expect(w[k * 40 + j]).toBe(0);
    expect(hertzToMel(700)).toBeCloseTo(1127 * Math.log(2), 12);
  });

  it('scales the DCT-II by √(2/40) for every coefficient, c0 included', () => {
    const d = mfccDctMatrix(40, 40);
    const dot = (a: number, b: number) => { let s = 0; for (let n = 0; n < 40; n++) s += d[a * 40 + n] * d[b * 40 + n]; return s; };
    expect(dot(0, 0)).toBeCloseTo(2, 12);
    expect(dot(3, 3)).toBeCloseTo(1, 12);
    expect(dot(2, 7)).toBeCloseTo(0, 12);
  });

  it('gives digital silence c0 = 40·ln(1e-6)·√(2/40) ≈ −123.6 and zero higher coefficients', () => {
    const f = mfccFloat(new Int16Array(16000));
    expect(f[0]).toBeCloseTo(40 * Math.log(1e-6) * Math.sqrt(2 / 40), 4);
    expect(f[0]).toBeCloseTo(-123.57, 2);
    for (let c = 1; c < 10; c++) expect(Math.abs(f[c])).toBeLessThan(1e-9);
  });

  it('divides by the largest sample value and is blind to the recording level', () => {
    const c = syntheticClips().find((c) => c.name === 'white noise')!.samples;
    const quiet = Int16Array.from(c, (v) => v >> 3);
    const a = mfccFloat(c), b = mfccFloat(quiet);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst).toBeLessThan(0.05); // only int16 rounding of the quieter copy differs
    expect(() => mfccFloat(new Int16Array(16001))).toThrow(/one second \(16000 samples at 16 kHz\), got 16001/);
  });
});

describe('float MFCC front end vs the MLPerf calibration features', () => {
  it('has silence at the bottom of kws_calib_x.npy’s c0 range, like ours', () => {
    const npy = readFileSync(join(corpusDir(), 'calibration', 'kws_calib_x.npy'));
    const header = npy.readUInt16LE(8);
    const x = new Float32Array(npy.buffer.slice(npy.byteOffset + 10 + header, npy.byteOffset + npy.length));
    let minC0 = Infinity;
    for (let i = 0; i < x.length; i += 10) minC0 = Math.min(minC0, x[i]);
    expect(minC0).toBeCloseTo(mfccFloat(new Int16Array(16000))[0], 1);
  });
});
