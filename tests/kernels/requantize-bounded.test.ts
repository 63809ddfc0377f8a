// The single-rounding requantization of runtime-as/assembly/requantize-bounded-simd.ts, lane for lane in
// BigInt, against the TypeScript port of TFLite Micro's MultiplyByQuantizedMultiplier: the identity the
// SIMD kernels rely on, over every shift, multipliers at their edges and accumulators at the bound.
// (The WASM kernels themselves are checked against the reference in conv-kernels and add-mul tests.)
import { describe, expect, it } from 'vitest';
import { multiplyByQuantizedMultiplier } from './reference/fixed-point.ts';
import { rng } from './layer-builder.ts';

/** The bounded form for one lane of a block whose largest right shift is `right`, or null where it does not apply. */
function bounded(acc: number, m: number, shift: number, right: number, accBits: number): number | null {
  if (accBits + shift + right + 1 > 31) return null;
  if (shift < 0 && m <= 2 ** 30) return null;
  const pre = 2n ** BigInt(shift + right + 1);
  const round = shift < 0 ? 2n ** BigInt(31 + right + shift) + 2n ** BigInt(31 + right) : 2n ** BigInt(31 + right);
  const signStep = shift < 0 ? 2n ** BigInt(shift + right) : 0n;
  const x = BigInt(acc) * pre;
  expect(x >= -(2n ** 31n) && x < 2n ** 31n).toBe(true); // the i32x4.mul does not wrap
  const h = (x * BigInt(m) + round) >> 32n;
  return Number((h - (acc < 0 ? signStep : 0n)) >> BigInt(right));
}

describe('bounded requantization (one 64-bit rounding)', () => {
  it('equals MultiplyByQuantizedMultiplier for every shift, with edge multipliers and accumulators', () => {
    const random = rng(19);
    const next = () => random.next();
    let checked = 0;
    for (let shift = -31; shift <= 30; shift++) {
      for (const right of [Math.max(-shift, 0), Math.max(-shift, 0) + 1, Math.max(-shift, 0) + 5]) {
        if (right > 31) continue;
        for (const accBits of [8, 16, 20, 24, 27, 30]) {
          const limit = 2 ** accBits - 1;
          const accs = [0, 1, -1, 2, -2, limit, -limit, limit - 1, -limit + 1];
          for (let i = 0; i < 40; i++) accs.push(Math.round((next() * 2 - 1) * limit));
          for (const m of [2 ** 30 + 1, 2 ** 31 - 1, 1518500250, 2 ** 30 + Math.floor(next() * 2 ** 30)]) {
            for (const acc of accs) {
              const got = bounded(acc, m, shift, right, accBits);
              if (got === null) continue;
              expect(got, `acc ${acc} m ${m} shift ${shift} E ${right}`).toBe(multiplyByQuantizedMultiplier(acc, m, shift));
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20000);
  });

  it('ties: accumulators whose product lands exactly on a rounding boundary', () => {
    // m·acc = (2k + 1)·2^(30+e) exactly: a half at the RoundingDivideByPOT step, for both signs.
    for (let e = 1; e <= 12; e++) {
      const m = 2 ** 30 + 2 ** 29; // 1.5·2^30: acc = 2^(e+1)·j/3 ... pick accs that make the product a half
      for (let j = -50; j <= 50; j++) {
        const acc = j * 2 ** (e + 1) / 3;
        if (!Number.isInteger(acc)) continue;
        const got = bounded(acc, m, -e, e, 24);
        expect(got, `acc ${acc} e ${e}`).toBe(multiplyByQuantizedMultiplier(acc, m, -e));
      }
    }
  });

  it('refuses m = 2^30 on a dividing lane (acc = -1 would round the other way)', () => {
    expect(bounded(-1, 2 ** 30, -3, 3, 8)).toBeNull();
    // The reason: the general form gives 0 there, the sign correction would give -1.
    expect(multiplyByQuantizedMultiplier(-1, 2 ** 30, -3)).toBe(0);
  });
});
