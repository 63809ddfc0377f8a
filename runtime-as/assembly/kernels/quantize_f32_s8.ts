// QUANTIZE float32 → int8, TFLite Micro's AffineQuantize: round(x / scale) in float32, halves away
// from zero, converted to int32, plus the zero point, clamped to int8. Out-of-range values and NaN
// convert as x86-64 does (to INT32_MIN, the "integer indefinite"), and the zero point then wraps, as in
// the goldens' x86-64 build.
import { roundHalfAwayFromZero } from '../round-half-away';

export function quantize_f32_s8(input: usize, output: usize, size: i32, scaleBits: i32, zeroPoint: i32): void {
  const scale = reinterpret<f32>(scaleBits);
  for (let i = 0; i < size; i++) {
    const r = roundHalfAwayFromZero(load<f32>(input + <usize>(i << 2)) / scale);
    const v: i32 = r >= <f32>-2147483648.0 && r < <f32>2147483648.0 ? <i32>r : i32.MIN_VALUE;
    let out = v + zeroPoint;
    if (out < -128) out = -128;
    if (out > 127) out = 127;
    store<i8>(output + <usize>i, <i8>out);
  }
}
