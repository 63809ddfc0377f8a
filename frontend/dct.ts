// The DCT-II of tf.signal.mfccs_from_log_mel_spectrograms: the unnormalized DCT-II
// (2·Σ x_n cos(πk(2n+1)/2N)) times 1/√(2N), i.e. √(2/N)·Σ x_n cos(…) for every k, c0 included.
/** [coefficients][inputs] row-major. */
export function mfccDctMatrix(inputs: number, coefficients: number): Float64Array {
  const d = new Float64Array(coefficients * inputs);
  const scale = Math.sqrt(2 / inputs);
  for (let k = 0; k < coefficients; k++) {
    for (let n = 0; n < inputs; n++) d[k * inputs + n] = scale * Math.cos((Math.PI * k * (2 * n + 1)) / (2 * inputs));
  }
  return d;
}
