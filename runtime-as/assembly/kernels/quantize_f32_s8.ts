// QUANTIZE float32 → int8, TFLite Micro's AffineQuantize: round(x / scale) in float32, halves away
// from zero, plus the zero point, clamped to int8.
import { roundHalfAwayFromZero } from '../round-half-away';

export function quantize_f32_s8(input: usize, output: usize, size: i32, scaleBits: i32, zeroPoint: i32): void {
  const scale = reinterpret<f32>(scaleBits);
  for (let i = 0; i < size; i++) {
    const q: f32 = load<f32>(input + <usize>(i << 2)) / scale;
    const r = roundHalfAwayFromZero(q);
    // Clamp before converting so huge values, infinities and NaN cannot trap.
    let v: i32;
    if (r != r) v = -128 - zeroPoint;
    else v = <i32>Mathf.max(Mathf.min(r, <f32>1e6), <f32>-1e6);
    let out = v + zeroPoint;
    if (out < -128) out = -128;
    if (out > 127) out = 127;
    store<i8>(output + <usize>i, <i8>out);
  }
}
