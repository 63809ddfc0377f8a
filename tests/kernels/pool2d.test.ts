// AVERAGE_POOL_2D and MAX_POOL_2D int8 against the TFLite Micro reference, both builds.
import { describe, expect, it } from 'vitest';
import type { FusedActivation, Padding } from '../../formats/ir/op-types.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { poolReference } from './reference/spatial.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { bytesOf, prepareOnly, runBoth } from './single-op.ts';

interface PoolCase {
  kind: 'avg' | 'max';
  inShape: number[];
  filter: [number, number];
  stride: [number, number];
  padding: Padding;
  activation: FusedActivation;
  scale: number;
  zeroPoint: number;
}

function outSize(padding: Padding, n: number, f: number, s: number) {
  return padding === 'SAME' ? Math.ceil(n / s) : Math.floor((n - f) / s) + 1;
}

function poolGraph(c: PoolCase) {
  const g = new GraphBuilder();
  const q = { scale: [c.scale], zeroPoint: [c.zeroPoint], axis: 0 };
  const [n, h, w, d] = c.inShape;
  const x = g.tensor(c.inShape, 'int8', q);
  const y = g.tensor([n, outSize(c.padding, h, c.filter[0], c.stride[0]), outSize(c.padding, w, c.filter[1], c.stride[1]), d], 'int8', q);
  g.op(c.kind === 'avg' ? 'AVERAGE_POOL_2D' : 'MAX_POOL_2D', [x], [y], {
    padding: c.padding, filterH: c.filter[0], filterW: c.filter[1], strideH: c.stride[0], strideW: c.stride[1], activation: c.activation,
  });
  return { graph: g.build([x], [y]), x };
}

function check(c: PoolCase, input: Int8Array) {
  const { graph, x } = poolGraph(c);
  const { scalar, simd, calls } = runBoth(graph, new Map([[x, bytesOf(input)]]));
  const want = poolReference(c.kind, input, calls[0].scalars);
  expect(Array.from(scalar)).toEqual(Array.from(want));
  expect(Array.from(simd)).toEqual(Array.from(want));
}

describe('pooling prepare', () => {
  it('computes SAME padding and the fused RELU6 clamp', () => {
    const { graph } = poolGraph({ kind: 'avg', inShape: [1, 5, 5, 3], filter: [3, 3], stride: [2, 2], padding: 'SAME', activation: 'RELU6', scale: 0.05, zeroPoint: -10 });
    const s = prepareOnly(graph)[0].scalars;
    expect([s.outH, s.outW, s.padH, s.padW]).toEqual([3, 3, 1, 1]);
    // 0 → zp −10; 6/0.05 = 120 → 110.
    expect([s.actMin, s.actMax]).toEqual([-10, 110]);
  });

  it('refuses an output shape that does not match the window geometry', () => {
    const g = new GraphBuilder();
    const x = g.tensor([1, 4, 4, 2]);
    const y = g.tensor([1, 3, 3, 2]);
    g.op('MAX_POOL_2D', [x], [y], { padding: 'VALID', filterH: 2, filterW: 2, strideH: 2, strideW: 2, activation: 'NONE' });
    expect(() => prepareOnly(g.build([x], [y]))).toThrow(/expected \[1,2,2,2\]/);
  });
});

describe('pooling kernels', () => {
  it('rounds averages half away from zero over the valid window only', () => {
    // 2x2 input, 3x3 SAME window: corner windows see 4 values, so (−1 −2 −2 −2)/4 = −1.75 → −2.
    const input = Int8Array.from([-1, -2, -2, -2]);
    check({ kind: 'avg', inShape: [1, 2, 2, 1], filter: [3, 3], stride: [1, 1], padding: 'SAME', activation: 'NONE', scale: 1, zeroPoint: 0 }, input);
    const { graph, x } = poolGraph({ kind: 'avg', inShape: [1, 2, 2, 1], filter: [3, 3], stride: [1, 1], padding: 'SAME', activation: 'NONE', scale: 1, zeroPoint: 0 });
    expect(Array.from(runBoth(graph, new Map([[x, bytesOf(input)]])).scalar)).toEqual([-2, -2, -2, -2]);
  });

  it('matches the reference on random shapes, strides, paddings and activations', () => {
    const r = new SeededRandom(7);
    for (let i = 0; i < 300; i++) {
      const c: PoolCase = {
        kind: r.pick(['avg', 'max'] as const),
        inShape: [r.int(1, 2), r.int(1, 9), r.int(1, 9), r.int(1, 37)],
        filter: [r.int(1, 4), r.int(1, 4)],
        stride: [r.int(1, 3), r.int(1, 3)],
        padding: r.pick(['SAME', 'VALID'] as const),
        activation: r.pick(['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1'] as const),
        scale: r.scale(-8, 0),
        zeroPoint: r.pick([-128, 127, 0, r.int(-128, 127)]),
      };
      if (c.padding === 'VALID' && (c.filter[0] > c.inShape[1] || c.filter[1] > c.inShape[2])) continue;
      check(c, r.int8s(c.inShape.reduce((a, b) => a * b)));
    }
  });
});
