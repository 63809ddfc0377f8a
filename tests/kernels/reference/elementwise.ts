// TFLite Micro's int8 element-wise reference kernels in plain TypeScript, from the prepared scalars.
import { multiplyByQuantizedMultiplier as mbqm, roundingDivideByPOT } from './fixed-point.ts';
import { logistic, tanh } from './gemmlowp-exp.ts';

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
type S = Record<string, number>;

export function addReference(x: number, y: number, s: S): number {
  const a = mbqm((s.input1Offset + x) * 2 ** s.leftShift, s.input1Multiplier, s.input1Shift);
  const b = mbqm((s.input2Offset + y) * 2 ** s.leftShift, s.input2Multiplier, s.input2Shift);
  return clamp(mbqm((a + b) | 0, s.outputMultiplier, s.outputShift) + s.outputOffset, s.actMin, s.actMax);
}

export function mulReference(x: number, y: number, s: S): number {
  return clamp(s.outputOffset + mbqm((s.input1Offset + x) * (s.input2Offset + y), s.outputMultiplier, s.outputShift), s.actMin, s.actMax);
}

export function quantizeReference(x: number, s: S): number {
  return clamp(mbqm(x - s.inputZeroPoint, s.multiplier, s.shift) + s.outputZeroPoint, -128, 127);
}

export function reluReference(x: number, s: S): number {
  return clamp(s.outputZeroPoint + mbqm(x - s.inputZeroPoint, s.multiplier, s.shift), s.actMin, s.actMax);
}

export function relu6Reference(x: number, s: S): number {
  return clamp(x, s.lower, s.upper);
}

export function logisticReference(x: number, s: S): number {
  const d = x - s.inputZeroPoint;
  if (d <= -s.inputRangeRadius) return -128;
  if (d >= s.inputRangeRadius) return 127;
  const q4 = mbqm(d, s.inputMultiplier, s.inputLeftShift);
  return clamp(roundingDivideByPOT(logistic(q4, 4), 23) - 128, -128, 127);
}

export function tanhReference(x: number, s: S): number {
  const d = x - s.inputZeroPoint;
  if (d <= -s.inputRangeRadius) return -128;
  if (d >= s.inputRangeRadius) return 127;
  const q4 = mbqm(d, s.inputMultiplier, s.inputLeftShift);
  return clamp(roundingDivideByPOT(tanh(q4, 4), 24), -128, 127);
}

// HARD_SWISH works in int16: every intermediate is narrowed as C's int16_t would be.
const i16 = (v: number) => (v << 16) >> 16;
function srdhm16(a: number, b: number): number {
  if (a === -32768 && b === -32768) return 32767;
  const ab = a * b;
  return i16(Math.trunc((ab + (ab >= 0 ? 16384 : 1 - 16384)) / 32768));
}
function sdhm16(a: number, b: number): number {
  if (a === -32768 && b === -32768) return 32767;
  return i16(Math.trunc((a * b) / 32768));
}
const satShift16 = (v: number, n: number) => clamp(v * 2 ** n, -32768, 32767);
function rdbp16(x: number, e: number): number {
  const mask = i16(2 ** e - 1);
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> e) + (remainder > threshold ? 1 : 0);
}

export function hardSwishReference(x: number, s: S): number {
  const inputValue = i16(x - s.inputZeroPoint);
  const hires = i16(inputValue * 128);
  const preshift = srdhm16(hires, s.outputMultiplier);
  let reluish = hires;
  if (s.reluishExponent > 0) reluish = satShift16(reluish, s.reluishExponent - 1);
  reluish = srdhm16(reluish, s.reluishMultiplier);
  if (s.reluishExponent > 0) reluish = satShift16(reluish, 1);
  if (s.reluishExponent < 0) reluish = rdbp16(reluish, -s.reluishExponent);
  reluish = i16((reluish + 32768) >> 1);
  const value = sdhm16(reluish, preshift);
  return clamp(i16(rdbp16(value, -s.outputExponent) + s.outputZeroPoint), -128, 127);
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
export function bitsToFloat(bits: number): number {
  i32[0] = bits;
  return f32[0];
}
const roundf = (x: number) => (x < 0 ? -Math.round(-x) : Math.round(x));

/** AffineQuantize; static_cast<int32_t> of an out-of-range float is x86's INT32_MIN, and + zp wraps. */
export function quantizeFloatReference(x: number, s: S): number {
  const q = roundf(Math.fround(x / bitsToFloat(s.scaleBits)));
  const v = q >= -(2 ** 31) && q < 2 ** 31 ? q : -(2 ** 31);
  return clamp((v + s.zeroPoint) | 0, -128, 127);
}

export function dequantizeReference(q: number, s: S): number {
  // TFLite: double(scale) * (q - zp), narrowed to float.
  return Math.fround(bitsToFloat(s.scaleBits) * (q - s.zeroPoint));
}
