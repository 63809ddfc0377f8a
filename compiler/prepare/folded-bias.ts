// CMSIS-NN's trick for fast kernels: fold the input offset into the bias once at compile time,
// bias'[c] = bias[c] + input_offset * sum_k w[c][k], so the inner loop multiplies raw int8 values.
// Exact in int32 arithmetic (wrapping, as the kernel's accumulator does); padding must then read
// as the input zero point (contributing w * 0 after the offset) — the SIMD kernels fill it so.

/** `weights` holds `channels` rows of `rowLength` values each. */
export function foldedBias(
  bias: Int32Array | undefined,
  weights: Int8Array,
  channels: number,
  rowLength: number,
  inputOffset: number,
): Int32Array {
  const out = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    const row = c * rowLength;
    for (let k = 0; k < rowLength; k++) sum += weights[row + k];
    out[c] = ((bias ? bias[c] : 0) + Math.imul(inputOffset, sum)) | 0;
  }
  return out;
}
