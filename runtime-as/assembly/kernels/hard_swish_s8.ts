// HARD_SWISH int8, TFLite's reference (int16 fixed point): x on a 2^7 finer "hires" scale, a
// "reluish" factor in [0, 1] from x rescaled so that 3.0 maps to 32768, their product rescaled to
// the output. Multipliers are Q15 (int16) with power-of-two exponents. Works in place.
import { BYTE_TABLE, BYTE_TABLE_MIN_SIZE, mapThroughByteTable } from '../byte-table';

// @ts-ignore: decorator
@inline
function srdhm16(a: i32, b: i32): i32 {
  if (a == b && a == -32768) return 32767;
  const ab = a * b;
  const nudge: i32 = ab >= 0 ? 1 << 14 : 1 - (1 << 14);
  return <i32><i16>((ab + nudge) / (1 << 15));
}

/** SaturatingDoublingHighMul: no rounding nudge, C division (toward zero). */
// @ts-ignore: decorator
@inline
function sdhm16(a: i32, b: i32): i32 {
  if (a == b && a == -32768) return 32767;
  return <i32><i16>((a * b) / (1 << 15));
}

// @ts-ignore: decorator
@inline
function saturatingLeftShift16(value: i32, amount: i32): i32 {
  const r: i64 = <i64>value << amount;
  return r > 32767 ? 32767 : r < -32768 ? -32768 : <i32>r;
}

// @ts-ignore: decorator
@inline
function roundingDivideByPOT16(x: i32, exponent: i32): i32 {
  // gemmlowp computes the mask in int16: from 16 on it is all ones.
  const mask: i32 = exponent >= 16 ? -1 : (1 << exponent) - 1;
  const remainder: i32 = x & mask;
  const threshold: i32 = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// @ts-ignore: decorator
@inline
function hardSwishOne(
  value: i32, inputZeroPoint: i32, outputZeroPoint: i32,
  outputMultiplier: i32, outputExponent: i32, reluishMultiplier: i32, reluishExponent: i32,
): i32 {
  const inputValue = <i32><i16>(value - inputZeroPoint);
  const hires = <i32><i16>(inputValue * (1 << 7));
  const preshiftOutput = srdhm16(hires, outputMultiplier);
  let reluish = hires;
  if (reluishExponent > 0) reluish = saturatingLeftShift16(reluish, reluishExponent - 1);
  reluish = srdhm16(reluish, reluishMultiplier);
  if (reluishExponent > 0) reluish = saturatingLeftShift16(reluish, 1);
  if (reluishExponent < 0) reluish = roundingDivideByPOT16(reluish, -reluishExponent);
  reluish = <i32><i16>((reluish + (1 << 15)) >> 1);
  const preshiftValue = sdhm16(reluish, preshiftOutput);
  let out = <i32><i16>(roundingDivideByPOT16(preshiftValue, -outputExponent) + outputZeroPoint);
  if (out > 127) out = 127;
  if (out < -128) out = -128;
  return out;
}

export function hard_swish_s8(
  input: usize, output: usize,
  size: i32, inputZeroPoint: i32, outputZeroPoint: i32,
  outputMultiplier: i32, outputExponent: i32, reluishMultiplier: i32, reluishExponent: i32,
): void {
  if (size >= BYTE_TABLE_MIN_SIZE) {
    for (let v = -128; v < 128; v++) store<i8>(BYTE_TABLE + <usize>(v + 128), <i8>hardSwishOne(v, inputZeroPoint, outputZeroPoint, outputMultiplier, outputExponent, reluishMultiplier, reluishExponent));
    mapThroughByteTable(input, output, size);
    return;
  }
  for (let i = 0; i < size; i++) {
    store<i8>(output + <usize>i, <i8>hardSwishOne(<i32>load<i8>(input + <usize>i), inputZeroPoint, outputZeroPoint, outputMultiplier, outputExponent, reluishMultiplier, reluishExponent));
  }
}
