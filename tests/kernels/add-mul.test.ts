// ADD and MUL int8 against the TFLite Micro reference: element-wise, in place, and broadcast.
import { describe, expect, it } from 'vitest';
import { elementCount } from '../../formats/ir/graph.ts';
import { broadcastShape } from '../../compiler/prepare/broadcast-shape.ts';
import { binaryGraph, type Q } from './elementwise-graphs.ts';
import { addReference, mulReference } from './reference/elementwise.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { bytesOf, prepareOnly, runBoth } from './single-op.ts';

function expected(type: 'ADD' | 'MUL', a: Int8Array, b: Int8Array, shapes: number[][], s: Record<string, number>): number[] {
  const walk = broadcastShape(shapes[0], shapes[1], shapes[2]);
  if (typeof walk === 'string') throw new Error(walk);
  const out: number[] = [];
  const n = elementCount(shapes[2]);
  for (let i = 0; i < n; i++) {
    let rest = i;
    let ia = 0;
    let ib = 0;
    for (let d = 5; d >= 0; d--) {
      const k = rest % walk.outDims[d];
      rest = Math.floor(rest / walk.outDims[d]);
      ia += k * walk.strides1[d];
      ib += k * walk.strides2[d];
    }
    out.push(type === 'ADD' ? addReference(a[ia], b[ib], s) : mulReference(a[ia], b[ib], s));
  }
  return out;
}

describe('ADD prepare', () => {
  it('derives TFLite\'s multipliers from 2·max(input scales) and a left shift of 20', () => {
    const { graph } = binaryGraph('ADD', [[4], [4], [4]], [{ scale: 0.5, zeroPoint: 1 }, { scale: 0.25, zeroPoint: -3 }, { scale: 1, zeroPoint: 5 }]);
    const s = prepareOnly(graph)[0].scalars;
    // 0.5/1 = 2^-1 → (2^30, 0); 0.25/1 = 2^-2 → (2^30, -1); 1/(2^20·1) = 2^-20 → (2^30, -19).
    expect(s).toMatchObject({
      input1Offset: -1, input2Offset: 3, leftShift: 20, input1Multiplier: 2 ** 30, input1Shift: 0,
      input2Multiplier: 2 ** 30, input2Shift: -1, outputMultiplier: 2 ** 30, outputShift: -19, outputOffset: 5,
      actMin: -128, actMax: 127,
    });
  });

  it('MUL rescales by s1·s2/s_out with QuantizeMultiplier and clamps the fused RELU6', () => {
    // 0.5·0.25/0.0625 = 2 → (2^30, shift 2); RELU6 on scale 0.0625, zp −100: [−100, −4].
    const { graph } = binaryGraph('MUL', [[4], [4], [4]], [{ scale: 0.5, zeroPoint: 1 }, { scale: 0.25, zeroPoint: 0 }, { scale: 0.0625, zeroPoint: -100 }], 'RELU6');
    expect(prepareOnly(graph)[0].scalars).toMatchObject({
      input1Offset: -1, input2Offset: 0, outputMultiplier: 2 ** 30, outputShift: 2, outputOffset: -100, actMin: -100, actMax: -4,
    });
  });

  it('refuses shapes that do not broadcast', () => {
    const { graph } = binaryGraph('ADD', [[2, 3], [4, 3], [4, 3]], [{ scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 }]);
    expect(() => prepareOnly(graph)).toThrow(/do not broadcast/);
  });
});

describe('ADD and MUL kernels', () => {
  const r = new SeededRandom(11);
  const randQ = (): Q => ({ scale: r.scale(-10, 1), zeroPoint: r.pick([-128, 127, 0, r.int(-128, 127)]) });
  /** Random inputs through the scalar and SIMD builds: both must give the reference's bytes. */
  const expectReference = (type: 'ADD' | 'MUL', shapes: number[][], { graph, a, b }: ReturnType<typeof binaryGraph>) => {
    const x = r.int8s(elementCount(shapes[0]));
    const y = r.int8s(elementCount(shapes[1]));
    const { scalar, simd, calls } = runBoth(graph, new Map([[a, bytesOf(x)], [b, bytesOf(y)]]));
    const want = expected(type, x, y, shapes, calls[0].scalars);
    expect(Array.from(scalar)).toEqual(want);
    expect(Array.from(simd)).toEqual(want);
  };

  it('match the reference element-wise, with fused activations and extreme zero points', () => {
    for (let i = 0; i < 400; i++) {
      const type = r.pick(['ADD', 'MUL'] as const);
      const n = r.int(1, 70);
      const q: [Q, Q, Q] = [randQ(), randQ(), randQ()];
      if (type === 'ADD' && 2 * Math.max(q[0].scale, q[1].scale) >= 2 ** 20 * q[2].scale) continue;
      expectReference(type, [[n], [n], [n]], binaryGraph(type, [[n], [n], [n]], q, r.pick(['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1'] as const)));
    }
  });

  it('ADD and MUL take the SIMD path on long tensors with extreme scale ratios, exactly', () => {
    for (let i = 0; i < 400; i++) {
      const type = r.pick(['ADD', 'MUL'] as const);
      const n = r.int(16, 200);
      const q1 = { scale: r.scale(-16, 2), zeroPoint: r.pick([-128, 127, r.int(-128, 127)]) };
      const q2 = { scale: q1.scale * 2 ** (r.next() * 24 - 12), zeroPoint: r.pick([-128, 127, r.int(-128, 127)]) };
      const qo = { scale: Math.max(q1.scale, q2.scale) * 2 ** (r.next() * 16 - 8), zeroPoint: r.int(-128, 127) };
      // MUL: output scales from far below to far above s1·s2 (left and right shifts).
      if (type === 'MUL') qo.scale = q1.scale * q2.scale * 2 ** (r.next() * 40 - 25);
      expectReference(type, [[n], [n], [n]], binaryGraph(type, [[n], [n], [n]], [q1, q2, qo], r.pick(['NONE', 'RELU', 'RELU6'] as const)));
    }
  });

  it('ADD gives the reference on every one of the 65,536 input pairs (the SIMD path\'s one-rounding forms)', () => {
    // Equal scales (both inputs unscaled: no division) with an output multiplier of 1.5·2^-20, whose sums land
    // exactly on rounding halves; one input 2^-1.3 of the other; a 2^-9 ratio; a large output scale; powers of
    // two (the general form); each with extreme zero points.
    const x = new Int8Array(65536), y = new Int8Array(65536);
    for (let i = 0; i < 65536; i++) { x[i] = (i & 255) - 128; y[i] = (i >> 8) - 128; }
    const configs: [Q, Q, Q][] = [
      [{ scale: 0.375, zeroPoint: 127 }, { scale: 0.375, zeroPoint: -128 }, { scale: 0.5, zeroPoint: 0 }],
      [{ scale: 0.375, zeroPoint: -128 }, { scale: 0.375, zeroPoint: 127 }, { scale: 0.5, zeroPoint: -3 }],
      [{ scale: 0.02, zeroPoint: 127 }, { scale: 0.02, zeroPoint: -128 }, { scale: 0.04, zeroPoint: 3 }],
      [{ scale: 0.031, zeroPoint: -128 }, { scale: 0.0126, zeroPoint: 127 }, { scale: 0.027, zeroPoint: -5 }],
      [{ scale: 0.5, zeroPoint: 0 }, { scale: 0.5 / 512, zeroPoint: 17 }, { scale: 0.1, zeroPoint: -128 }],
      [{ scale: 0.003, zeroPoint: 9 }, { scale: 0.0041, zeroPoint: -77 }, { scale: 0.9, zeroPoint: 100 }],
      [{ scale: 0.25, zeroPoint: -1 }, { scale: 0.125, zeroPoint: 1 }, { scale: 0.5, zeroPoint: 0 }],
    ];
    for (const q of configs) {
      const { graph, a, b } = binaryGraph('ADD', [[65536], [65536], [65536]], q);
      const { scalar, simd, calls } = runBoth(graph, new Map([[a, bytesOf(x)], [b, bytesOf(y)]]));
      const want = expected('ADD', x, y, [[65536], [65536], [65536]], calls[0].scalars);
      const firstWrong = (got: Int8Array) => want.findIndex((v, i) => got[i] !== v);
      expect(firstWrong(scalar), `scalar ${JSON.stringify(q)}`).toBe(-1);
      expect(firstWrong(simd), `simd ${JSON.stringify(q)}`).toBe(-1);
    }
  });

  it('work in place over either input', () => {
    for (const over of [0, 1]) {
      const q: [Q, Q, Q] = [{ scale: 0.02, zeroPoint: -128 }, { scale: 0.03, zeroPoint: 127 }, { scale: 0.04, zeroPoint: 3 }];
      for (const type of ['ADD', 'MUL'] as const) {
        const { graph, a, b, y } = binaryGraph(type, [[33], [33], [33]], q);
        const x = r.int8s(33);
        const z = r.int8s(33);
        const want = runBoth(graph, new Map([[a, bytesOf(x)], [b, bytesOf(z)]])).scalar;
        const inPlace = runBoth(graph, new Map([[a, bytesOf(x)], [b, bytesOf(z)]]), { inPlace: new Map([[y, over === 0 ? a : b]]) });
        expect(Array.from(inPlace.scalar)).toEqual(Array.from(want));
        expect(Array.from(inPlace.simd)).toEqual(Array.from(want));
      }
    }
  });

  it('broadcast up to 6-D as TFLite\'s slow broadcast does', () => {
    for (let i = 0; i < 150; i++) {
      const rank = r.int(1, 6);
      const out = Array.from({ length: rank }, () => r.int(1, 4));
      const shrink = (s: number[]) => s.map((d) => (r.next() < 0.4 ? 1 : d)).slice(r.int(0, rank - 1));
      const s1 = shrink(out);
      const s2 = shrink(out);
      // The output is what the two shapes broadcast to.
      const ext = (s: number[]) => [...Array(rank - s.length).fill(1), ...s];
      const shapes = [s1, s2, ext(s1).map((d, k) => Math.max(d, ext(s2)[k]))];
      const type = r.pick(['ADD', 'MUL'] as const);
      expectReference(type, shapes, binaryGraph(type, shapes as [number[], number[], number[]], [randQ(), { scale: 0.5, zeroPoint: 0 }, { scale: 0.75, zeroPoint: 1 }]));
    }
  });
});
