// TFLite's fixed-point requantization (gemmlowp semantics, double rounding), literally, in plain
// TypeScript numbers: the 62-bit product is split so every step is exact.

/** C's (a*b + nudge) / 2^31 with truncation toward zero, saturating the single overflow case. */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === -0x80000000 && b === -0x80000000) return 0x7fffffff;
  const aHigh = Math.floor(a / 65536); // a = aHigh·2^16 + aLow, aLow in [0, 2^16)
  const aLow = a - aHigh * 65536;
  const p0 = aLow * b; // |p0| < 2^47, exact
  const p0High = Math.floor(p0 / 65536);
  const p0Low = p0 - p0High * 65536;
  const s = aHigh * b + p0High; // a·b = s·2^16 + p0Low, |s| < 2^47
  const nudge = (s >= 0 ? 0x40000000 : 1 - 0x40000000);
  // Sign of a·b is the sign of s (p0Low is a non-negative remainder below 2^16).
  const sHigh = Math.floor(s / 32768); // s = sHigh·2^15 + sLow
  const sLow = s - sHigh * 32768;
  const r = sLow * 65536 + p0Low + nudge; // (a·b + nudge) = sHigh·2^31 + r, r exact
  const rq = Math.floor(r / 0x80000000);
  const floorQ = sHigh + rq;
  const rem = r - rq * 0x80000000;
  return floorQ < 0 && rem !== 0 ? floorQ + 1 : floorQ;
}

export function roundingDivideByPOT(x: number, exponent: number): number {
  const mask = ((1 << exponent) - 1) | 0;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(Math.imul(x, 1 << left), multiplier), right);
}
