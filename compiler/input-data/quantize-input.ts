// Float input → int8 with a tensor's scale and zero point, rounding as TFLite's AffineQuantize does.
import { roundHalfAwayFromZero } from '../prepare/quantize-multiplier.ts';

export function quantizeFloat32ToInt8(values: Float32Array, scale: number, zeroPoint: number): Uint8Array {
  const out = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    // float32 division, as the C++ does it (fround of the double quotient is the correctly rounded float quotient).
    const q = roundHalfAwayFromZero(Math.fround(values[i] / Math.fround(scale))) + zeroPoint;
    out[i] = Math.max(-128, Math.min(127, q));
  }
  return new Uint8Array(out.buffer);
}
