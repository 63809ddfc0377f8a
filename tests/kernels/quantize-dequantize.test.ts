// QUANTIZE (float32 → int8, int8 → int8) and DEQUANTIZE (int8 → float32) against TFLite's reference.
import { describe, expect, it } from 'vitest';
import { floatBits } from '../../compiler/prepare/kernel-layout.ts';
import { unaryGraph } from './elementwise-graphs.ts';
import { runPrepared } from './kernel-harness.ts';
import { dequantizeReference, quantizeFloatReference, quantizeReference } from './reference/elementwise.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { bytesOf, prepareOnly, runBoth } from './single-op.ts';

const ALL_BYTES = Int8Array.from({ length: 256 }, (_, i) => i - 128);

describe('QUANTIZE and DEQUANTIZE prepare', () => {
  it('picks the float32 kernel or the requantizing one by input type', () => {
    const f = unaryGraph('QUANTIZE', [4], { scale: 1, zeroPoint: 0 }, { scale: 0.5, zeroPoint: 3 }, ['float32', 'int8']);
    expect(prepareOnly(f.graph)[0]).toMatchObject({ layout: { name: 'quantize_f32_s8' }, scalars: { scaleBits: floatBits(0.5), zeroPoint: 3 } });
    const q = unaryGraph('QUANTIZE', [4], { scale: 0.5, zeroPoint: 1 }, { scale: 0.25, zeroPoint: -2 });
    expect(prepareOnly(q.graph)[0]).toMatchObject({ layout: { name: 'quantize_s8' }, scalars: { multiplier: 2 ** 30, shift: 2 } });
  });

  it('handles extreme scale ratios: flushed to zero below 2^-31, saturating far above 1', () => {
    const tiny = unaryGraph('QUANTIZE', [256], { scale: 2 ** -40, zeroPoint: 0 }, { scale: 1, zeroPoint: 7 });
    expect(prepareOnly(tiny.graph)[0].scalars).toMatchObject({ multiplier: 0, shift: 0 });
    expect(Array.from(runBoth(tiny.graph, new Map([[tiny.x, bytesOf(ALL_BYTES)]])).simd)).toEqual(new Array(256).fill(7));
    const huge = unaryGraph('QUANTIZE', [256], { scale: 2 ** 10, zeroPoint: 0 }, { scale: 2 ** -10, zeroPoint: 0 });
    const out = runBoth(huge.graph, new Map([[huge.x, bytesOf(ALL_BYTES)]]));
    expect(Array.from(out.scalar)).toEqual(Array.from(ALL_BYTES, (v) => (v < 0 ? -128 : v > 0 ? 127 : 0)));
    expect(Array.from(out.simd)).toEqual(Array.from(out.scalar));
  });

  it('refuses an int16 output with the supported types named', () => {
    const { graph } = unaryGraph('QUANTIZE', [4], { scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 }, ['float32', 'int16']);
    expect(() => prepareOnly(graph)).toThrow(/int16, but only int8/);
  });
});

describe('QUANTIZE and DEQUANTIZE kernels', () => {
  const r = new SeededRandom(29);

  it('requantizes int8 → int8 for every byte, zero-point-only changes included, in place', () => {
    for (let i = 0; i < 150; i++) {
      const qin = { scale: r.scale(-8, 1), zeroPoint: r.pick([-128, 127, r.int(-128, 127)]) };
      const qout = r.next() < 0.3 ? { scale: qin.scale, zeroPoint: r.int(-128, 127) } : { scale: r.scale(-8, 1), zeroPoint: r.pick([-128, 127, r.int(-128, 127)]) };
      const n = r.pick([256, 600]);
      const input = Int8Array.from({ length: n }, (_, k) => (k < 256 ? ALL_BYTES[k] : r.int(-128, 127)));
      const { graph, x, y } = unaryGraph('QUANTIZE', [n], qin, qout);
      const { scalar, simd, calls } = runBoth(graph, new Map([[x, bytesOf(input)]]), { inPlace: new Map([[y, x]]) });
      const want = Array.from(input, (v) => quantizeReference(v, calls[0].scalars));
      expect(Array.from(scalar)).toEqual(want);
      expect(Array.from(simd)).toEqual(want);
    }
  });

  it('quantizes float32 with halves rounded away from zero, saturating, NaN and infinities as x86-64 converts them', () => {
    for (const zeroPoint of [-3, 0, 100]) {
    const q = { scale: 0.5, zeroPoint };
    const special = [0.25, -0.25, 0.75, -0.75, 1.25, -1.25, 1e30, -1e30, Infinity, -Infinity, NaN, 0, -0, 63.75, -64.25];
    const values = Float32Array.from([...special, ...Array.from({ length: 200 }, () => (r.next() - 0.5) * 300)]);
    const { graph, x, y } = unaryGraph('QUANTIZE', [values.length], { scale: 1, zeroPoint: 0 }, q, ['float32', 'int8']);
    const calls = prepareOnly(graph);
    for (const variant of ['scalar', 'simd'] as const) {
      const got = new Int8Array(runPrepared(variant, graph, calls, new Map([[x, bytesOf(values)]])).get(y)!.slice().buffer);
      expect(Array.from(got)).toEqual(Array.from(values, (v) => quantizeFloatReference(v, calls[0].scalars)));
    }
    // 0.25/0.5 = 0.5 → 1, −0.25/0.5 = −0.5 → −1 (half away from zero), then the zero point.
    expect(Array.from(values.subarray(0, 4), (v) => quantizeFloatReference(v, calls[0].scalars))).toEqual([1, -1, 2, -2].map((v) => v + zeroPoint));
    // Beyond int32, x86 converts to INT32_MIN: with a negative zero point the sum wraps to +2^31 − 3.
    expect(quantizeFloatReference(1e30, calls[0].scalars)).toBe(zeroPoint < 0 ? 127 : -128);
    }
  });

  it('dequantizes every byte to (q − zp)·scale in float32', () => {
    for (let i = 0; i < 40; i++) {
      const q = { scale: r.scale(-12, 3), zeroPoint: r.int(-128, 127) };
      const { graph, x, y } = unaryGraph('DEQUANTIZE', [256], q, { scale: 1, zeroPoint: 0 }, ['int8', 'float32']);
      const calls = prepareOnly(graph);
      for (const variant of ['scalar', 'simd'] as const) {
        const got = new Float32Array(runPrepared(variant, graph, calls, new Map([[x, bytesOf(ALL_BYTES)]])).get(y)!.slice().buffer);
        expect(Array.from(got)).toEqual(Array.from(ALL_BYTES, (v) => dequantizeReference(v, calls[0].scalars)));
      }
    }
  });
});
