// MEAN, PAD, CONCATENATION and RESHAPE int8 against TFLite Micro's reference behaviour, both builds.
import { describe, expect, it } from 'vitest';
import { elementCount } from '../../formats/ir/graph.ts';
import { floatBits, int32Bytes } from '../../compiler/prepare/kernel-layout.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { concatenationReference, meanReference, padReference } from './reference/spatial.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { bytesOf, prepareOnly, runBoth } from './single-op.ts';

const quant = (scale: number, zeroPoint: number) => ({ scale: [scale], zeroPoint: [zeroPoint], axis: 0 });

function meanGraph(shape: number[], axes: number[], qin: [number, number], qout: [number, number], keepDims: boolean) {
  const g = new GraphBuilder();
  const x = g.tensor(shape, 'int8', quant(...qin));
  const axis = g.constant([axes.length], int32Bytes(axes), 'int32');
  const reduce = shape.map((_, d) => axes.some((a) => (a + shape.length) % shape.length === d));
  const outShape = keepDims ? shape.map((d, k) => (reduce[k] ? 1 : d)) : shape.filter((_, k) => !reduce[k]);
  const y = g.tensor(outShape, 'int8', quant(...qout));
  g.op('MEAN', [x, axis], [y], { keepDims });
  return { graph: g.build([x], [y]), x, reduce };
}

describe('MEAN', () => {
  const r = new SeededRandom(31);

  it('truncates sum/count when input and output quantization are equal (TFLite Micro\'s integer Mean)', () => {
    const { graph, x } = meanGraph([1, 2, 2, 1], [1, 2], [0.1, 0], [0.1, 0], true);
    // (−1 −2 −2 −2)/4 = −1.75 → −1 (toward zero, unlike average pooling's −2).
    expect(Array.from(runBoth(graph, new Map([[x, bytesOf(Int8Array.from([-1, -2, -2, -2]))]])).scalar)).toEqual([-1]);
  });

  it('matches the reference over random axes (H,W and others), keep_dims, equal and different quantization', () => {
    for (let i = 0; i < 200; i++) {
      const rank = r.int(1, 5);
      const shape = Array.from({ length: rank }, () => r.int(1, 6));
      const axes = rank === 4 && r.next() < 0.5 ? [1, 2] : [...new Set(Array.from({ length: r.int(1, rank) }, () => r.int(-rank, rank - 1)))];
      const qin: [number, number] = [r.scale(-8, 0), r.int(-128, 127)];
      const qout: [number, number] = r.next() < 0.3 ? qin : [r.scale(-8, 0), r.pick([-128, 127, r.int(-128, 127)])];
      const { graph, x, reduce } = meanGraph(shape, axes, qin, qout, r.next() < 0.5);
      const input = r.int8s(elementCount(shape));
      const { scalar, simd, calls } = runBoth(graph, new Map([[x, bytesOf(input)]]));
      const want = Array.from(meanReference(input, shape, reduce, calls[0].scalars));
      expect(Array.from(scalar)).toEqual(want);
      expect(Array.from(simd)).toEqual(want);
    }
  });

  it('asks for a scratch buffer of one int32 per output and precomputes the float32 rescale', () => {
    const { graph } = meanGraph([1, 3, 3, 5], [1, 2], [0.5, 4], [0.25, 1], false);
    const [call] = prepareOnly(graph);
    expect(call.scratchBytes).toBe(20);
    // scale = 0.5/0.25 = 2, bias = −4·2 = −8; 9 values per mean.
    expect(call.scalars).toMatchObject({ outputs: 5, count: 9, sameQuantization: 0, outputZeroPoint: 1, scaleBits: floatBits(2), biasBits: floatBits(-8) });
  });
});

describe('PAD', () => {
  const r = new SeededRandom(37);
  it('fills with the output zero point around the input, up to 5-D', () => {
    for (let i = 0; i < 150; i++) {
      const rank = r.int(1, 5);
      const inShape = Array.from({ length: rank }, () => r.int(1, 5));
      const pads = inShape.flatMap(() => [r.int(0, 3), r.int(0, 3)]);
      const outShape = inShape.map((d, k) => d + pads[2 * k] + pads[2 * k + 1]);
      const zp = r.pick([-128, 127, r.int(-128, 127)]);
      const g = new GraphBuilder();
      const x = g.tensor(inShape, 'int8', quant(0.1, zp));
      const p = g.constant([rank, 2], int32Bytes(pads), 'int32');
      const y = g.tensor(outShape, 'int8', quant(0.1, zp));
      g.op('PAD', [x, p], [y], {});
      const input = r.int8s(elementCount(inShape));
      const { scalar, simd } = runBoth(g.build([x], [y]), new Map([[x, bytesOf(input)]]));
      const want = Array.from(padReference(input, inShape, pads.filter((_, k) => k % 2 === 0), outShape, zp));
      expect(Array.from(scalar)).toEqual(want);
      expect(Array.from(simd)).toEqual(want);
    }
  });

  it('refuses paddings computed at run time', () => {
    const g = new GraphBuilder();
    const x = g.tensor([2, 2]);
    const p = g.tensor([2, 2], 'int32');
    const y = g.tensor([4, 4]);
    g.op('PAD', [x, p], [y], {});
    expect(() => prepareOnly(g.build([x, p], [y]))).toThrow(/computed at run time/);
  });
});

describe('CONCATENATION and RESHAPE', () => {
  const r = new SeededRandom(41);
  it('concatenates along any axis (negative too) by copying bytes, one call per input', () => {
    for (let i = 0; i < 150; i++) {
      const rank = r.int(1, 4);
      const base = Array.from({ length: rank }, () => r.int(1, 5));
      const axis = r.int(0, rank - 1);
      const shapes = Array.from({ length: r.int(1, 4) }, () => base.map((d, k) => (k === axis ? r.int(1, 4) : d)));
      const outShape = base.map((d, k) => (k === axis ? shapes.reduce((s, sh) => s + sh[axis], 0) : d));
      const g = new GraphBuilder();
      const ids = shapes.map((s) => g.tensor(s, 'int8', quant(r.scale(), r.int(-128, 127))));
      const y = g.tensor(outShape);
      g.op('CONCATENATION', ids, [y], { axis: r.next() < 0.5 ? axis : axis - rank, activation: 'NONE' });
      const data = shapes.map((s) => r.int8s(elementCount(s)));
      const { scalar, simd, calls } = runBoth(g.build(ids, [y]), new Map(ids.map((id, k) => [id, bytesOf(data[k])])));
      expect(calls).toHaveLength(shapes.length);
      const want = Array.from(concatenationReference(shapes.map((shape, k) => ({ shape, data: data[k] })), axis));
      expect(Array.from(scalar)).toEqual(want);
      expect(Array.from(simd)).toEqual(want);
    }
  });

  it('refuses a fused activation as TFLite Micro does', () => {
    const g = new GraphBuilder();
    const a = g.tensor([1, 2]);
    const y = g.tensor([1, 4]);
    g.op('CONCATENATION', [a, a], [y], { axis: 1, activation: 'RELU' });
    expect(() => prepareOnly(g.build([a], [y]))).toThrow(/fused activation RELU/);
  });

  it('RESHAPE copies bytes, and is a no-op in place', () => {
    const g = new GraphBuilder();
    const x = g.tensor([2, 3, 5]);
    const y = g.tensor([6, 5]);
    g.op('RESHAPE', [x], [y], {});
    const input = r.int8s(30);
    const graph = g.build([x], [y]);
    expect(Array.from(runBoth(graph, new Map([[x, bytesOf(input)]])).simd)).toEqual(Array.from(input));
    expect(Array.from(runBoth(graph, new Map([[x, bytesOf(input)]]), { inPlace: new Map([[y, x]]) }).scalar)).toEqual(Array.from(input));
  });
});
