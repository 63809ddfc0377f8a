// TFLite's QuantizeMultiplier: a real multiplier as a Q31 fixed-point value and a power-of-two shift,
// so that x * real ≈ SaturatingRoundingDoublingHighMul(x << max(shift,0), q) >> max(-shift,0).

export interface QuantizedMultiplier {
  /** Q31 multiplier in [2^30, 2^31) (or 0). */
  multiplier: number;
  /** Left shift if positive, right shift if negative. */
  shift: number;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** C's frexp: x = fraction × 2^exponent with |fraction| in [0.5, 1). Exact, from the bit pattern. */
export function frexp(x: number): { fraction: number; exponent: number } {
  if (x === 0 || !Number.isFinite(x)) return { fraction: x, exponent: 0 };
  f64[0] = x;
  let biased = (u32[1] >>> 20) & 0x7ff;
  if (biased === 0) {
    // Subnormal: scale into the normal range first.
    const r = frexp(x * 2 ** 64);
    return { fraction: r.fraction, exponent: r.exponent - 64 };
  }
  const exponent = biased - 1022;
  u32[1] = (u32[1] & 0x800fffff) | (1022 << 20);
  return { fraction: f64[0], exponent };
}

/** std::round: halves away from zero (Math.round rounds them up). */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export function quantizeMultiplier(realMultiplier: number): QuantizedMultiplier {
  if (realMultiplier === 0) return { multiplier: 0, shift: 0 };
  if (!Number.isFinite(realMultiplier)) {
    throw new RangeError(`quantizeMultiplier: ${realMultiplier} is not a finite multiplier`);
  }
  const { fraction, exponent } = frexp(realMultiplier);
  let shift = exponent;
  let q = roundHalfAwayFromZero(fraction * 2 ** 31);
  if (q === 2 ** 31) {
    q /= 2;
    shift += 1;
  }
  if (shift < -31) {
    // Too small to represent: TFLite flushes it to zero.
    return { multiplier: 0, shift: 0 };
  }
  // No cap on large shifts: TFLite saturates shift > 30 only in its single-rounding build, and the goldens
  // (TFLite Micro's default build) use double rounding.
  return { multiplier: q, shift };
}

/** For multipliers known to be < 1 (TFLite's QuantizeMultiplierSmallerThanOneExp). */
export function quantizeMultiplierSmallerThanOne(realMultiplier: number): QuantizedMultiplier {
  if (!(realMultiplier > 0 && realMultiplier < 1)) {
    throw new RangeError(`quantizeMultiplierSmallerThanOne: ${realMultiplier} is not in (0, 1)`);
  }
  return quantizeMultiplier(realMultiplier);
}
