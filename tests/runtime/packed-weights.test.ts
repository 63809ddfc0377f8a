// Convolutions through the SIMD runtime read weights it repacked at load (runtime-as/host/packed-weights.ts):
// random layers — input lengths with and without a tail of 1..7, channel counts with and without a tail of 1..3,
// odd pixel counts, per-tensor and per-channel scales — give the TypeScript port of TFLite Micro's reference bytes,
// and the packed copy is the size the plan says.
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { prepareConv2D } from '../../compiler/prepare/conv2d.ts';
import type { Op } from '../../formats/ir/graph.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { buildConv2D, referenceOutput, rng, type ConvSpec } from '../kernels/layer-builder.ts';

describe('packed convolution weights', () => {
  it('random long 1×1 layers equal the reference through the SIMD runtime, packed', () => {
    const r = rng(77);
    let packedLayers = 0;
    for (let i = 0; i < 120; i++) {
      const inC = r.pick([24, 32, 40, 64, 100, 128, 131, 256]);
      const outC = r.pick([4, 8, 13, 16, 30, 64]);
      const perChannel = r.next() < 0.6;
      const spec: ConvSpec = {
        batches: 1, inH: r.int(1, 6), inW: r.int(4, 9), inC, outC, filterH: 1, filterW: 1, strideH: 1, strideW: 1,
        dilationH: 1, dilationW: 1, padding: 'VALID', depthMultiplier: 1,
        inputZeroPoint: r.int(-128, 127), outputZeroPoint: r.int(-128, 127),
        inputScale: r.uniform(0.005, 0.1), outputScale: r.uniform(0.02, 0.5),
        filterScales: perChannel ? Array.from({ length: outC }, () => r.uniform(0.0005, 0.02)) : [r.uniform(0.0005, 0.02)],
        hasBias: r.next() < 0.8, biasRange: r.pick([100, 10_000, 1_000_000]), activation: r.pick(['NONE', 'RELU', 'RELU6'] as const),
      };
      const layer = buildConv2D(spec, r);
      const [prepared] = prepareConv2D(layer.graph, layer.op as Op<'CONV_2D'>);
      expect(prepared!.layout.name).toBe('conv2d_1x1_s8');
      const want = referenceOutput(layer, prepared!);
      const rt = Runtime.create(writeBlob(compileGraph(layer.graph)), { variant: 'simd' });
      const pixels = spec.inH * spec.inW;
      const expectedBytes = pixels >= 4 ? Math.floor(outC / 4) * (inC & ~7) * 4 : 0;
      expect(rt.memory.packedWeightBytes, JSON.stringify(spec)).toBe(expectedBytes);
      if (expectedBytes) packedLayers++;
      const got = new Int8Array(Buffer.concat(rt.invoke(layer.activations.get(0)!)));
      expect(Array.from(got), JSON.stringify(spec)).toEqual(Array.from(want));
    }
    expect(packedLayers).toBeGreaterThan(90);
  });

  it('random convolutions (direct and gathered pixels, padding, strides, row tails) equal the reference, packed', () => {
    const r = rng(91);
    let packedLayers = 0;
    for (let i = 0; i < 80; i++) {
      const f = r.pick([1, 2, 3, 5]);
      const inC = r.pick([3, 8, 16, 24, 32, 13]);
      const outC = r.pick([4, 8, 10, 16, 32]);
      const stride = r.pick([1, 1, 2]);
      const spec: ConvSpec = {
        // Wide inputs (28 to 40 columns) send inside pixels to the direct product; narrow ones gather every pixel.
        batches: 1, inH: r.int(f, 9), inW: r.pick([r.int(f, 12), r.int(28, 40)]), inC, outC, filterH: f, filterW: f,
        strideH: stride, strideW: stride, dilationH: 1, dilationW: 1, padding: r.pick(['SAME', 'VALID'] as const), depthMultiplier: 1,
        inputZeroPoint: r.int(-128, 127), outputZeroPoint: r.int(-128, 127),
        inputScale: r.uniform(0.005, 0.1), outputScale: r.uniform(0.05, 1),
        filterScales: Array.from({ length: outC }, () => r.uniform(0.0005, 0.02)),
        hasBias: r.next() < 0.8, biasRange: r.pick([100, 100_000]), activation: r.pick(['NONE', 'RELU', 'RELU6'] as const),
      };
      if (f === 1 && stride === 1) spec.padding = 'SAME'; // a plain 1×1 is conv2d_1x1_s8, covered above
      const layer = buildConv2D(spec, r);
      const [prepared] = prepareConv2D(layer.graph, layer.op as Op<'CONV_2D'>);
      if (prepared!.layout.name !== 'conv2d_s8') continue;
      const want = referenceOutput(layer, prepared!);
      const rt = Runtime.create(writeBlob(compileGraph(layer.graph)), { variant: 'simd' });
      if (rt.memory.packedWeightBytes > 0) packedLayers++;
      const sc = prepared!.scalars as Record<string, number>;
      // Packed when the rows are long enough (24 inputs and up) and the products see four pixels or more.
      const packs = (f * f * inC & ~7) >= 24 && sc.gather_rows! >= 4 && sc.output_h! * sc.output_w! >= 4;
      expect(rt.memory.packedWeightBytes, JSON.stringify(spec)).toBe(packs ? Math.floor(outC / 4) * (f * f * inC & ~7) * 4 : 0);
      const got = new Int8Array(Buffer.concat(rt.invoke(layer.activations.get(0)!)));
      expect(Array.from(got), JSON.stringify(spec)).toEqual(Array.from(want));
    }
    expect(packedLayers).toBeGreaterThan(40);
  });

  it('the scalar runtime packs nothing; packedWeights: false and a tight memory limit turn it off', () => {
    const r = rng(3);
    const layer = buildConv2D({
      batches: 1, inH: 4, inW: 4, inC: 64, outC: 16, filterH: 1, filterW: 1, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1,
      padding: 'VALID', depthMultiplier: 1, inputZeroPoint: 5, outputZeroPoint: -3, inputScale: 0.05, outputScale: 0.2,
      filterScales: [0.01], hasBias: true, biasRange: 1000, activation: 'NONE',
    }, r);
    const blob = writeBlob(compileGraph(layer.graph));
    expect(Runtime.create(blob, { variant: 'scalar' }).memory.packedWeightBytes).toBe(0);
    const packed = Runtime.create(blob, { variant: 'simd' });
    expect(packed.memory.packedWeightBytes).toBe(4 * 64 * 4);
    // Turned off, or no room under the memory limit: no copy, the same bytes.
    const off = Runtime.create(blob, { variant: 'simd', packedWeights: false });
    const limited = Runtime.create(blob, { variant: 'simd', maxMemoryBytes: packed.memory.totalBytes - 1 });
    expect([off.memory.packedWeightBytes, limited.memory.packedWeightBytes]).toEqual([0, 0]);
    const input = layer.activations.get(0)!;
    const want = Buffer.concat(packed.invoke(input));
    expect(Buffer.concat(off.invoke(input)).equals(want)).toBe(true);
    expect(Buffer.concat(limited.invoke(input)).equals(want)).toBe(true);
  });
});
