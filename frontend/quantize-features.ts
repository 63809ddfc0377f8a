// Float MFCC → the model's int8 input (TFLite quantization: round half away from zero, then clamp).
export function quantizeFeatures(features: ArrayLike<number>, scale: number, zeroPoint: number): Int8Array {
  const out = new Int8Array(features.length);
  for (let i = 0; i < features.length; i++) {
    const x = features[i] / scale;
    const r = Math.sign(x) * Math.round(Math.abs(x));
    out[i] = Math.max(-128, Math.min(127, r + zeroPoint));
  }
  return out;
}
