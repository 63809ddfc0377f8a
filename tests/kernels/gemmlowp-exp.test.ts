// The fixed-point transcendentals behind SOFTMAX, LOGISTIC and TANH are accurate to about gemmlowp's
// own test tolerances (here against the unrounded real value over random inputs, so the Newton-Raphson
// divisions get a little more room): a wrong constant or step in the shared reference would show here,
// independently of the int8 kernels that are checked against that reference.
import { describe, expect, it } from 'vitest';
import { expOnNegativeValues, logistic, oneMinusXOverOnePlusX, oneOverOnePlusX, tanh } from './reference/gemmlowp-exp.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';

const r = new SeededRandom(43);
const raws = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => Math.floor(lo + r.next() * (hi - lo)));
const q0 = (raw: number) => raw / 2 ** 31;

describe('gemmlowp fixed-point functions', () => {
  for (const integerBits of [4, 5]) {
    it(`exp on negative Q${integerBits} values, within 3e-7`, () => {
      for (const a of [...raws(3000, -(2 ** 31), 0), -1, -(2 ** 31)]) {
        expect(Math.abs(q0(expOnNegativeValues(a, integerBits)) - Math.exp(a / 2 ** (31 - integerBits)))).toBeLessThan(3e-7);
      }
      expect(expOnNegativeValues(0, integerBits)).toBe(0x7fffffff);
    });
  }

  it('1/(1+x) within 8 raw steps of the unrounded value and (1-x)/(1+x) within 8e-9 on [0, 1)', () => {
    for (const a of [...raws(3000, 0, 2 ** 31), 0, 1, 0x7fffffff]) {
      expect(Math.abs(oneOverOnePlusX(a) - (1 / (1 + q0(a))) * 2 ** 31)).toBeLessThanOrEqual(8);
      expect(Math.abs(q0(oneMinusXOverOnePlusX(a)) - (1 - q0(a)) / (1 + q0(a)))).toBeLessThan(8e-9);
    }
  });

  it('logistic and tanh of Q4.27 values, within 1.5e-7', () => {
    for (const a of [...raws(3000, -(2 ** 31), 2 ** 31), 0, 1, -1]) {
      const x = a / 2 ** 27;
      expect(Math.abs(q0(logistic(a, 4)) - 1 / (1 + Math.exp(-x)))).toBeLessThan(1.5e-7);
      expect(Math.abs(q0(tanh(a, 4)) - Math.tanh(x))).toBeLessThan(1.5e-7);
    }
  });
});
