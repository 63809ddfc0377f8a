// Periodic Hann window (tf.signal.hann_window(periodic=True)): the window of a length+1 symmetric one, last sample dropped.
export function periodicHann(length: number): Float64Array {
  const w = new Float64Array(length);
  for (let n = 0; n < length; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length);
  return w;
}
