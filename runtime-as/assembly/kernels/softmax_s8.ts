// SOFTMAX int8 → int8 (output scale 1/256, zero point -128), TFLite Micro's reference path:
// gemmlowp exp on the rescaled differences to the row maximum, a Q12 sum, and its reciprocal.
import { roundingDivideByPOT, saturatingRoundingDoublingHighMul } from '../fixedpoint';
import { expOnNegativeValues, oneOverOnePlusXForXIn01 } from '../gemmlowp-exp';

const SCALED_DIFF_INTEGER_BITS: i32 = 5;

// int8 differences to the row maximum take 256 values (0 down to -255): long inputs compute each
// exponential once into this table (entry -diff), short ones per element. Same values either way.
const EXP_TABLE: usize = memory.data(256 * 4, 16);
const EXP_TABLE_MIN_SIZE: i32 = 512;
const ACCUMULATION_INTEGER_BITS: i32 = 12;

/**
 * gemmlowp's RoundingDivideByPOT as TFLite Micro's x86-64 build runs it for exponents 32 to 34
 * (a row whose exponentials sum to 512 or more): the int64 mask narrows to all ones and the shift
 * count wraps modulo 32. Below 32 it is the ordinary rounding shift.
 */
// @ts-ignore: decorator
@inline
function divideByPOTWide(x: i32, exponent: i32): i32 {
  if (exponent < 32) return roundingDivideByPOT(x, exponent);
  const threshold: i32 = -1 + (x < 0 ? 1 : 0);
  return (x >> (exponent - 32)) + (x > threshold ? 1 : 0);
}

// @ts-ignore: decorator
@inline
function scaledExp(diff: i32, inputMultiplier: i32, inputLeftShift: i32): i32 {
  const rescaled = saturatingRoundingDoublingHighMul(diff * (1 << inputLeftShift), inputMultiplier);
  return expOnNegativeValues(rescaled, SCALED_DIFF_INTEGER_BITS);
}

// @ts-ignore: decorator
@inline
function expOf(diff: i32, useTable: bool, inputMultiplier: i32, inputLeftShift: i32): i32 {
  return useTable ? load<i32>(EXP_TABLE + <usize>(-diff << 2)) : scaledExp(diff, inputMultiplier, inputLeftShift);
}

export function softmax_s8(
  input: usize, output: usize,
  rows: i32, depth: i32, inputMultiplier: i32, inputLeftShift: i32, diffMin: i32,
): void {
  const useTable = rows * depth >= EXP_TABLE_MIN_SIZE;
  if (useTable) {
    // Entries below diff_min are never read (those elements contribute nothing and output -128).
    for (let d = 0; d < 256; d++) {
      store<i32>(EXP_TABLE + <usize>(d << 2), -d >= diffMin ? scaledExp(-d, inputMultiplier, inputLeftShift) : 0);
    }
  }
  for (let r = 0; r < rows; r++) {
    const inRow = input + <usize>(r * depth);
    const outRow = output + <usize>(r * depth);
    let maxInRow: i32 = -128;
    for (let c = 0; c < depth; c++) {
      const v = <i32>load<i8>(inRow + <usize>c);
      if (v > maxInRow) maxInRow = v;
    }
    let sumOfExps: i32 = 0;
    for (let c = 0; c < depth; c++) {
      const diff = <i32>load<i8>(inRow + <usize>c) - maxInRow;
      if (diff >= diffMin) {
        sumOfExps += roundingDivideByPOT(expOf(diff, useTable, inputMultiplier, inputLeftShift), ACCUMULATION_INTEGER_BITS);
      }
    }
    // GetReciprocal: normalize the sum to [1, 2) and invert it as 1/(1+x).
    const headroomPlusOne = <i32>clz<u32>(<u32>sumOfExps);
    const numBitsOverUnit = ACCUMULATION_INTEGER_BITS - headroomPlusOne;
    const shiftedSumMinusOne = <i32>((<u32>sumOfExps << <u32>headroomPlusOne) - (<u32>1 << 31));
    const shiftedScale = oneOverOnePlusXForXIn01(shiftedSumMinusOne);
    const outShift = numBitsOverUnit + 31 - 8;
    for (let c = 0; c < depth; c++) {
      const diff = <i32>load<i8>(inRow + <usize>c) - maxInRow;
      let out: i32 = -128;
      if (diff >= diffMin) {
        const e = expOf(diff, useTable, inputMultiplier, inputLeftShift);
        const unsat = divideByPOTWide(saturatingRoundingDoublingHighMul(shiftedScale, e), outShift);
        out = unsat - 128;
        if (out < -128) out = -128;
        if (out > 127) out = 127;
      }
      store<i8>(outRow + <usize>c, <i8>out);
    }
  }
}
