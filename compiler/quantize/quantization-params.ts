// TFLite's int8 quantization parameters from float ranges. Scales are float32 values (what a
// .tflite stores), so the in-memory graph and a written-and-read-back file agree exactly.
import { roundHalfAwayFromZero } from '../prepare/quantize-multiplier.ts';
import type { Range } from '../calibrate/range-estimators.ts';

export interface AffineParams {
  scale: number;
  zeroPoint: number;
}

const QMIN = -128;
const QMAX = 127;

/**
 * Asymmetric int8 activation parameters: the range is widened to contain 0 (so 0 is exact, as
 * zero padding and ReLU need), scale = (max − min)/255, and the zero point is nudged onto the
 * integer grid as TFLite's converter does (clamped to [−128, 127], rounded half away from zero).
 */
export function activationParams(range: Range, minScale = 0): AffineParams {
  let min = Math.min(range.min, 0);
  let max = Math.max(range.max, 0);
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError(`range [${range.min}, ${range.max}] is not finite`);
  if (max - min < 1e-9) { min = 0; max = 1; } // a tensor that was always 0: any scale represents it
  // Some kernels need a coarser step than a near-constant tensor would get (SOFTMAX: beta·scale·2^26 > 1).
  if ((max - min) / (QMAX - QMIN) < minScale) {
    const grow = minScale * (QMAX - QMIN) - (max - min);
    const below = max - min > 0 ? grow * (-min / (max - min)) : 0;
    min -= below;
    max += grow - below;
  }
  const scale = Math.fround((max - min) / (QMAX - QMIN));
  const zeroPointFromMin = QMIN - min / scale;
  const zeroPoint = zeroPointFromMin < QMIN ? QMIN : zeroPointFromMin > QMAX ? QMAX : roundHalfAwayFromZero(zeroPointFromMin);
  return { scale, zeroPoint };
}

/** Symmetric weight scales in [−127, 127]: one per slice along `axis`, or one for the tensor. */
export function symmetricScales(values: Float32Array, shape: readonly number[], axis: number | undefined): number[] {
  const channels = axis === undefined ? 1 : shape[axis]!;
  const inner = axis === undefined ? values.length : shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const maxAbs = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const c = axis === undefined ? 0 : Math.floor(i / inner) % channels;
    const a = Math.abs(values[i]!);
    if (a > maxAbs[c]!) maxAbs[c] = a;
  }
  // An all-zero channel quantizes to zeros whatever its scale; 1 keeps the multipliers finite.
  return Array.from(maxAbs, (m) => (m > 0 ? Math.fround(m / 127) : 1));
}

export function quantizeSymmetric(values: Float32Array, shape: readonly number[], axis: number | undefined, scales: number[]): Int8Array {
  const channels = scales.length;
  const inner = axis === undefined ? values.length : shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = channels === 1 ? 0 : Math.floor(i / inner) % channels;
    out[i] = Math.max(-127, Math.min(127, roundHalfAwayFromZero(values[i]! / scales[c]!)));
  }
  return out;
}

export function quantizeAffine(values: Float32Array, p: AffineParams): Int8Array {
  const out = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    out[i] = Math.max(QMIN, Math.min(QMAX, roundHalfAwayFromZero(values[i]! / p.scale) + p.zeroPoint));
  }
  return out;
}

/** int32 bias at scale inputScale × weightScale[c] (zero point 0), saturated to int32. */
export function quantizeBias(values: Float32Array, inputScale: number, weightScales: number[]): { data: Int32Array; scales: number[] } {
  const scales = weightScales.map((w) => Math.fround(inputScale * w));
  const data = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const s = scales[scales.length === 1 ? 0 : i]!;
    data[i] = Math.max(-0x80000000, Math.min(0x7fffffff, roundHalfAwayFromZero(values[i]! / s)));
  }
  return { data, scales };
}
