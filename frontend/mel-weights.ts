// The mel filterbank exactly as tf.signal.linear_to_mel_weight_matrix defines it: HTK mel scale
// (1127·ln(1 + f/700)), band edges spaced linearly in mel, triangles evaluated in mel space,
// the DC bin given zero weight (HTK ignores it). Returned as [bins][bands], row-major.
const MEL_BREAK_HZ = 700;
const MEL_HIGH_Q = 1127;

export function hertzToMel(hz: number): number {
  return MEL_HIGH_Q * Math.log(1 + hz / MEL_BREAK_HZ);
}

export function linearToMelWeightMatrix(
  bands: number,
  spectrumBins: number,
  sampleRate: number,
  lowerHz: number,
  upperHz: number,
): Float64Array {
  if (!(lowerHz >= 0 && lowerHz < upperHz && upperHz <= sampleRate / 2)) {
    throw new Error(`mel band edges ${lowerHz}–${upperHz} Hz must satisfy 0 ≤ lower < upper ≤ ${sampleRate / 2} (Nyquist)`);
  }
  const nyquist = sampleRate / 2;
  const lowerMel = hertzToMel(lowerHz);
  const upperMel = hertzToMel(upperHz);
  // bands + 2 edges evenly spaced in mel: band j spans edges j, j+1 (centre), j+2.
  const edges = new Float64Array(bands + 2);
  for (let i = 0; i < bands + 2; i++) edges[i] = lowerMel + ((upperMel - lowerMel) * i) / (bands + 1);
  const w = new Float64Array(spectrumBins * bands);
  for (let k = 1; k < spectrumBins; k++) {
    const mel = hertzToMel((nyquist * k) / (spectrumBins - 1));
    for (let j = 0; j < bands; j++) {
      const lower = (mel - edges[j]) / (edges[j + 1] - edges[j]);
      const upper = (edges[j + 2] - mel) / (edges[j + 2] - edges[j + 1]);
      w[k * bands + j] = Math.max(0, Math.min(lower, upper));
    }
  }
  return w;
}
