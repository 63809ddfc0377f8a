// MEAN int8 over any set of axes (up to 5-D), TFLite Micro's reference: int32 sums per output in the
// scratch buffer; then, when input and output quantization are equal, sum / count truncated toward
// zero; otherwise the float32 rescale round(mean · s_in/s_out − zp_in · s_in/s_out) + zp_out, clamped.
// `shape` holds 5 input dims then 5 output element strides per input dim (0 on reduced axes).
import { roundHalfAwayFromZero } from '../round-half-away';


export function mean_s8(
  input: usize, output: usize, shape: usize, scratch: usize,
  outputs: i32, count: i32, sameQuantization: i32, outputZeroPoint: i32, scaleBits: i32, biasBits: i32,
): void {
  const d0 = load<i32>(shape, 0), d1 = load<i32>(shape, 4), d2 = load<i32>(shape, 8), d3 = load<i32>(shape, 12), d4 = load<i32>(shape, 16);
  const s0 = load<i32>(shape, 20), s1 = load<i32>(shape, 24), s2 = load<i32>(shape, 28), s3 = load<i32>(shape, 32), s4 = load<i32>(shape, 36);
  memory.fill(scratch, 0, <usize>(outputs << 2));
  let p = input;
  for (let a = 0; a < d0; a++) for (let b = 0; b < d1; b++) for (let c = 0; c < d2; c++) for (let d = 0; d < d3; d++) {
    const base = a * s0 + b * s1 + c * s2 + d * s3;
    for (let e = 0; e < d4; e++) {
      const slot = scratch + <usize>((base + e * s4) << 2);
      store<i32>(slot, load<i32>(slot) + <i32>load<i8>(p));
      p += 1;
    }
  }
  if (sameQuantization != 0) {
    for (let i = 0; i < outputs; i++) {
      store<i8>(output + <usize>i, <i8>(load<i32>(scratch + <usize>(i << 2)) / count));
    }
    return;
  }
  const scale = reinterpret<f32>(scaleBits);
  const bias = reinterpret<f32>(biasBits);
  const fcount = <f32>count;
  const fzp = <f32>outputZeroPoint;
  for (let i = 0; i < outputs; i++) {
    const mean: f32 = <f32>load<i32>(scratch + <usize>(i << 2)) / fcount;
    let r: f32 = roundHalfAwayFromZero(mean * scale + bias) + fzp;
    r = Mathf.min(r, <f32>127);
    r = Mathf.max(r, <f32>-128);
    store<i8>(output + <usize>i, <i8><i32>r);
  }
}
