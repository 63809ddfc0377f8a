// Band-limited resampling (Hann-windowed sinc), for espeak-ng's 22,050 Hz speech → 16 kHz.
const HALF_TAPS = 16;

export function resample(input: Float64Array, fromRate: number, toRate: number): Float64Array {
  if (fromRate === toRate) return input.slice();
  const ratio = toRate / fromRate;
  // Cut off below the lower Nyquist frequency so downsampling does not alias.
  const cutoff = Math.min(1, ratio) * 0.95;
  const out = new Float64Array(Math.floor(input.length * ratio));
  for (let i = 0; i < out.length; i++) {
    const centre = i / ratio;
    const first = Math.ceil(centre - HALF_TAPS / cutoff);
    const last = Math.floor(centre + HALF_TAPS / cutoff);
    let sum = 0;
    let norm = 0;
    for (let j = first; j <= last; j++) {
      const t = (j - centre) * cutoff;
      const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
      const win = 0.5 + 0.5 * Math.cos((Math.PI * t) / HALF_TAPS);
      const w = sinc * win;
      norm += w;
      if (j >= 0 && j < input.length) sum += input[j] * w;
    }
    out[i] = sum / norm;
  }
  return out;
}
