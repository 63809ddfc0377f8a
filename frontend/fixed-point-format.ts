// The fixed-point front end's number formats, shared by the table generator, the host loaders and the docs.
// Both fixed-point twins (AssemblyScript, C) implement the same integer algorithm over the same tables:
//   1. s = clamp(round(x·R / 2^24), ±2^23), R = round(2^47 / max)   the clip over its largest sample, Q23
//   2. v = round(s·hann_Q30 / 2^30)                    one windowed frame, Q23
//   3. block scaling: v·2^sh with max|v·2^sh| in [2^20, 2^21) (headroom for the 512-point FFT's growth)
//   4. 256-point complex FFT of (v_even + i·v_odd), Q30 twiddles, int64 products; real-FFT split → X_k, k ≤ 256
//   5. |X_k| = round(√(re² + im²))                     Q(23+sh)
//   6. mel_j = Σ w_Q15·|X_k|                           Q(38+sh), int64
//   7. log: ln(mel + 1e-6) = log2(mel_int + eps_int)·ln2 − (38+sh)·ln2, log2 by repeated squaring, Q22
//   8. c_k = Σ dct_Q30·L_j / 2^30                      Q22
//   9. q = round_half_away(c·M / 2^(22+S)) + zero point, clamped to int8 (M·2^-S = 1/scale)
export const SAMPLE_Q = 23;
export const WINDOW_Q = 30;
export const TWIDDLE_Q = 30;
export const MEL_WEIGHT_Q = 15;
export const LOG_Q = 22;
export const DCT_Q = 30;
/** Block scaling puts a frame's largest |v| at bit FRAME_PEAK_BIT (value in [2^20, 2^21)). */
export const FRAME_PEAK_BIT = 20;
/** 1e-6 in Q(38 + 20): the log offset, shifted per frame to Q(38 + sh). */
export const LOG_OFFSET_Q58 = 288230376152n;

export interface FeatureQuantization {
  /** 1/scale = multiplier · 2^-shift, multiplier in [2^30, 2^31). */
  multiplier: number;
  shift: number;
  zeroPoint: number;
}

/** The int8 input quantization (scale, zero point) as the integer multiplier the fixed-point twins take. */
export function featureQuantization(scale: number, zeroPoint: number): FeatureQuantization {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`input scale must be a positive finite number, got ${scale}`);
  if (!Number.isInteger(zeroPoint) || zeroPoint < -128 || zeroPoint > 127) throw new Error(`input zero point must be an int8, got ${zeroPoint}`);
  let inv = 1 / scale;
  let shift = 0;
  // Normalize 1/scale into [2^30, 2^31) · 2^-shift; shift ≥ 0 keeps the rounding shift a right shift.
  while (inv < 2 ** 30) { inv *= 2; shift++; }
  while (inv >= 2 ** 31) { inv /= 2; shift--; }
  let multiplier = Math.round(inv);
  if (multiplier === 2 ** 31) { multiplier = 2 ** 30; shift--; }
  if (shift < 0 || shift > 40) throw new Error(`input scale ${scale} is out of the range the fixed-point front end handles (2^-9 … 2^31)`);
  return { multiplier, shift, zeroPoint };
}
