// RELU, RELU6 and HARD_SWISH int8 against the TFLite reference kernels over every input byte, with
// random quantization, in place, sizes off the SIMD width, both builds.
import { describe, expect, it } from 'vitest';
import { unaryGraph } from './elementwise-graphs.ts';
import { hardSwishReference, relu6Reference, reluReference } from './reference/elementwise.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { bytesOf, prepareOnly, runBoth } from './single-op.ts';

const ALL_BYTES = Int8Array.from({ length: 256 }, (_, i) => i - 128);

describe('RELU, RELU6, HARD_SWISH prepare', () => {
  it('RELU6 clamps to [zp, round(6/scale)+zp] on the input scale', () => {
    const { graph } = unaryGraph('RELU6', [8], { scale: 0.05, zeroPoint: -100 }, { scale: 0.05, zeroPoint: -100 });
    expect(prepareOnly(graph)[0].scalars).toMatchObject({ lower: -100, upper: 20 });
  });

  it('RELU requantizes by s_in/s_out and clamps at the output zero point', () => {
    const { graph } = unaryGraph('RELU', [8], { scale: 0.5, zeroPoint: 4 }, { scale: 0.25, zeroPoint: -7 });
    expect(prepareOnly(graph)[0].scalars).toMatchObject({ multiplier: 2 ** 30, shift: 2, actMin: -7, actMax: 127 });
  });

  it('HARD_SWISH downscales its multipliers to Q15', () => {
    // hires = 0.1/128; out = hires/0.05 = 1/64 → Q31 2^30 shift -5 → Q15 16384;
    // reluish = hires/(3/32768) ≈ 8.533 → exponent 4.
    const { graph } = unaryGraph('HARD_SWISH', [8], { scale: 0.1, zeroPoint: 0 }, { scale: 0.05, zeroPoint: 0 });
    const s = prepareOnly(graph)[0].scalars;
    expect(s).toMatchObject({ outputMultiplier: 16384, outputExponent: -5, reluishExponent: 4 });
  });
});

describe('RELU, RELU6, HARD_SWISH kernels', () => {
  const r = new SeededRandom(23);
  const cases = [
    ['RELU', reluReference],
    ['RELU6', relu6Reference],
    ['HARD_SWISH', hardSwishReference],
  ] as const;
  for (const [type, reference] of cases) {
    it(`${type}: every input byte with random quantization, in place`, () => {
      for (let i = 0; i < 150; i++) {
        const qin = { scale: r.scale(-8, 1), zeroPoint: r.pick([-128, 127, r.int(-128, 127)]) };
        const same = type === 'RELU6' || r.next() < 0.3;
        const qout = same ? qin : { scale: r.scale(-8, 1), zeroPoint: r.pick([-128, 127, r.int(-128, 127)]) };
        if (type === 'HARD_SWISH' && qin.scale / 128 >= qout.scale) continue;
        // Sizes off the SIMD width, and 512+ where the expensive maps go through a 256-entry table.
        const n = r.pick([256, 256 + r.int(1, 15), 300, 777]);
        const input = Int8Array.from({ length: n }, (_, k) => (k < 256 ? ALL_BYTES[k] : r.int(-128, 127)));
        const { graph, x, y } = unaryGraph(type, [n], qin, qout);
        const { scalar, simd, calls } = runBoth(graph, new Map([[x, bytesOf(input)]]), { inPlace: new Map([[y, x]]) });
        const want = Array.from(input, (v) => reference(v, calls[0].scalars));
        expect(Array.from(scalar)).toEqual(want);
        expect(Array.from(simd)).toEqual(want);
      }
    });
  }

  it('HARD_SWISH stays within a few output steps of x·relu6(x+3)/6', () => {
    const qin = { scale: 0.05, zeroPoint: 0 };
    const qout = { scale: 0.04, zeroPoint: -60 };
    const { graph, x } = unaryGraph('HARD_SWISH', [256], qin, qout);
    const got = runBoth(graph, new Map([[x, bytesOf(ALL_BYTES)]])).scalar;
    ALL_BYTES.forEach((v, k) => {
      const f = v * qin.scale;
      const ideal = Math.round((f * Math.min(6, Math.max(0, f + 3))) / 6 / qout.scale) + qout.zeroPoint;
      expect(Math.abs(got[k] - Math.max(-128, Math.min(127, ideal)))).toBeLessThanOrEqual(2);
    });
  });
});
