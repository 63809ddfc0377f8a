// LOGISTIC and TANH int8 against the TFLite Micro reference (gemmlowp Q4 logistic/tanh with input
// radius saturation) over every input byte, in place, both builds; and within one output step of the
// real functions.
import { describe, expect, it } from 'vitest';
import { unaryGraph } from './elementwise-graphs.ts';
import { logisticReference, tanhReference } from './reference/elementwise.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { bytesOf, prepareOnly, runBoth } from './single-op.ts';

const ALL_BYTES = Int8Array.from({ length: 256 }, (_, i) => i - 128);
const OUT = { LOGISTIC: { scale: 1 / 256, zeroPoint: -128 }, TANH: { scale: 1 / 128, zeroPoint: 0 } } as const;

describe('LOGISTIC and TANH prepare', () => {
  it('rescales the input to Q4.27 with a frexp multiplier and the saturation radius', () => {
    // 0.5·2^27 = 2^26 = 0.5·2^27 → multiplier 2^30, shift 27; radius = floor(15·2^27/2^27) = 15.
    const { graph } = unaryGraph('LOGISTIC', [4], { scale: 0.5, zeroPoint: 3 }, OUT.LOGISTIC);
    expect(prepareOnly(graph)[0].scalars).toMatchObject({ inputZeroPoint: 3, inputMultiplier: 2 ** 30, inputLeftShift: 27, inputRangeRadius: 15 });
  });

  it('refuses a LOGISTIC output zero point other than -128, as TFLite Micro does', () => {
    const { graph } = unaryGraph('LOGISTIC', [4], { scale: 0.5, zeroPoint: 0 }, { scale: 1 / 256, zeroPoint: 0 });
    expect(() => prepareOnly(graph)).toThrow(/zero point -128/);
  });
});

describe('LOGISTIC and TANH kernels', () => {
  const r = new SeededRandom(17);
  for (const type of ['LOGISTIC', 'TANH'] as const) {
    const reference = type === 'LOGISTIC' ? logisticReference : tanhReference;
    const real = type === 'LOGISTIC' ? (v: number) => 1 / (1 + Math.exp(-v)) : Math.tanh;

    it(`${type}: every input byte, random scales and zero points, short and long tensors, in place`, () => {
      for (let i = 0; i < 60; i++) {
        const qin = { scale: r.scale(-9, 1), zeroPoint: r.pick([-128, 127, r.int(-128, 127)]) };
        // Short tensors are computed per element, long ones (512+) through a 256-entry table.
        const n = r.pick([256, 700]);
        const input = Int8Array.from({ length: n }, (_, k) => (k < 256 ? ALL_BYTES[k] : r.int(-128, 127)));
        const { graph, x, y } = unaryGraph(type, [n], qin, OUT[type]);
        const { scalar, simd, calls } = runBoth(graph, new Map([[x, bytesOf(input)]]), { inPlace: new Map([[y, x]]) });
        const want = Array.from(input, (v) => reference(v, calls[0].scalars));
        expect(Array.from(scalar)).toEqual(want);
        expect(Array.from(simd)).toEqual(want);
      }
    });

    it(`${type}: within one output step of the real function`, () => {
      const qin = { scale: 0.07, zeroPoint: -5 };
      const { graph, x } = unaryGraph(type, [256], qin, OUT[type]);
      const got = runBoth(graph, new Map([[x, bytesOf(ALL_BYTES)]])).scalar;
      ALL_BYTES.forEach((v, k) => {
        const ideal = Math.round(real((v - qin.zeroPoint) * qin.scale) / OUT[type].scale) + OUT[type].zeroPoint;
        expect(Math.abs(got[k] - Math.min(127, ideal))).toBeLessThanOrEqual(1);
      });
    });
  }
});
