// SOFTMAX int8 against the TFLite Micro reference (gemmlowp exp, Q12 sum, reciprocal), both builds;
// and, as a sanity check of the fixed-point path itself, within one step of the real softmax.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph-builder.ts';
import { softmaxReference } from './reference/spatial.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { bytesOf, prepareOnly, runBoth } from './single-op.ts';

function softmaxGraph(shape: number[], inScale: number, inZp: number, beta = 1, outQ = { scale: 1 / 256, zeroPoint: -128 }) {
  const g = new GraphBuilder();
  const x = g.tensor(shape, 'int8', { scale: [inScale], zeroPoint: [inZp], axis: 0 });
  const y = g.tensor(shape, 'int8', { scale: [outQ.scale], zeroPoint: [outQ.zeroPoint], axis: 0 });
  g.op('SOFTMAX', [x], [y], { beta });
  return { graph: g.build([x], [y]), x };
}

describe('SOFTMAX prepare', () => {
  it('scales beta·input scale into Q5.26 and derives diff_min from the input radius', () => {
    // beta·scale·2^26 = 2^-4·2^26 = 2^22 → multiplier 2^30, left shift 23;
    // radius = floor(31·2^26 / 2^23) = 248.
    const s = prepareOnly(softmaxGraph([1, 10], 1 / 16, 0).graph)[0].scalars;
    expect(s).toMatchObject({ rows: 1, depth: 10, inputMultiplier: 2 ** 30, inputLeftShift: 23, diffMin: -248 });
  });

  it('refuses an output that is not scale 1/256, zero point -128', () => {
    expect(() => prepareOnly(softmaxGraph([1, 4], 0.1, 0, 1, { scale: 1 / 128, zeroPoint: 0 }).graph)).toThrow(/1\/256/);
  });
});

describe('SOFTMAX kernel', () => {
  it('matches the reference on random rows, betas and input scales, in place too', () => {
    const r = new SeededRandom(3);
    for (let i = 0; i < 300; i++) {
      // Up to 40x40: inputs of 512+ elements take the exponential table path.
      const depth = r.int(1, 40);
      const rows = r.pick([r.int(1, 5), r.int(13, 40)]);
      const { graph, x } = softmaxGraph([rows, depth], r.scale(-8, 0), r.int(-128, 127), r.pick([1, 0.5, 2, r.next() * 3 + 0.1]));
      const input = r.int8s(rows * depth);
      // Every other case runs in place: each row is read fully before its outputs are written.
      const inPlace = i % 2 === 0 ? { inPlace: new Map([[graph.outputs[0], x]]) } : undefined;
      const { scalar, simd, calls } = runBoth(graph, new Map([[x, bytesOf(input)]]), inPlace);
      const want = Array.from(softmaxReference(input, calls[0].scalars));
      expect(Array.from(scalar)).toEqual(want);
      expect(Array.from(simd)).toEqual(want);
    }
  });

  it('reproduces TFLite Micro\'s x86 behaviour when a row\'s exponentials sum to 512 or more', () => {
    // 600 equal inputs: each exp is 1.0, the Q12 sum 600 needs a rounding shift of 32, which gemmlowp
    // computes with an all-ones mask and a shift count taken modulo 32 on x86-64.
    const { graph, x } = softmaxGraph([1, 600], 0.1, 0);
    const input = new Int8Array(600).fill(5);
    const { scalar, simd, calls } = runBoth(graph, new Map([[x, bytesOf(input)]]));
    const want = Array.from(softmaxReference(input, calls[0].scalars));
    expect(Array.from(scalar)).toEqual(want);
    expect(Array.from(simd)).toEqual(want);
    // A sum below 512 stays on the ordinary path: 511 equal inputs give round(256/511) − 128 = −127.
    const small = softmaxGraph([1, 511], 0.1, 0);
    expect(runBoth(small.graph, new Map([[small.x, bytesOf(new Int8Array(511).fill(5))]])).scalar[0]).toBe(-127);
  });

  it('stays within one output step of the real softmax', () => {
    const r = new SeededRandom(5);
    for (let i = 0; i < 50; i++) {
      const depth = r.int(2, 30);
      const scale = r.scale(-6, -2);
      const { graph, x } = softmaxGraph([1, depth], scale, 0);
      const input = r.int8s(depth);
      const got = runBoth(graph, new Map([[x, bytesOf(input)]])).scalar;
      const max = Math.max(...input);
      const exps = Array.from(input, (v) => Math.exp((v - max) * scale));
      const sum = exps.reduce((a, b) => a + b);
      exps.forEach((e, k) => expect(Math.abs(got[k] - (Math.min(255, Math.round((e / sum) * 256)) - 128))).toBeLessThanOrEqual(1));
    }
  });
});
