// CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED kernels: the scalar and SIMD WASM builds against the
// TypeScript port of TFLite Micro's reference kernels, on named edge cases and thousands of seeded
// random layers. Needs `npm run build` first.
import { describe, expect, it } from 'vitest';
import { prepareConv2D } from '../../compiler/prepare/conv2d.ts';
import { prepareDepthwiseConv2D } from '../../compiler/prepare/depthwise-conv2d.ts';
import { prepareFullyConnected } from '../../compiler/prepare/fully-connected.ts';
import { int32Bytes, type PreparedOp } from '../../compiler/prepare/kernel-layout.ts';
import type { Op } from '../../formats/ir/graph.ts';
import { runPrepared } from './kernel-harness.ts';
import {
  buildConv2D, buildDepthwiseConv2D, buildFullyConnected, referenceOutput, rng,
  type ConvSpec, type FullyConnectedSpec, type Layer,
} from './layer-builder.ts';
import { randomConvSpec, randomFullyConnectedSpec, randomQuant } from './random-specs.ts';

function prepare(l: Layer): PreparedOp {
  const op = l.op;
  const prepared = op.type === 'CONV_2D' ? prepareConv2D(l.graph, op as Op<'CONV_2D'>)
    : op.type === 'DEPTHWISE_CONV_2D' ? prepareDepthwiseConv2D(l.graph, op as Op<'DEPTHWISE_CONV_2D'>)
      : prepareFullyConnected(l.graph, op as Op<'FULLY_CONNECTED'>);
  expect(prepared).toHaveLength(1);
  return prepared[0];
}

/** Scalar build, SIMD build and reference agree byte for byte; returns the output. */
function checkLayer(l: Layer, prepared = prepare(l), label = ''): Int8Array {
  const expected = referenceOutput(l, prepared);
  const out = l.op.outputs[0];
  const scalar = new Int8Array(runPrepared('scalar', l.graph, [prepared], l.activations).get(out)!.buffer);
  const simd = new Int8Array(runPrepared('simd', l.graph, [prepared], l.activations).get(out)!.buffer);
  expect(Array.from(scalar), `scalar ${prepared.layout.name} ${label}`).toEqual(Array.from(expected));
  expect(Array.from(simd), `simd ${prepared.layout.name} ${label}`).toEqual(Array.from(expected));
  return expected;
}

const base: ConvSpec = {
  batches: 1, inH: 7, inW: 6, inC: 5, outC: 6, filterH: 3, filterW: 3, strideH: 1, strideW: 1,
  dilationH: 1, dilationW: 1, padding: 'SAME', depthMultiplier: 1,
  inputZeroPoint: 3, outputZeroPoint: -5, inputScale: 0.05, outputScale: 0.1, filterScales: [0.01],
  hasBias: true, biasRange: 2000, activation: 'NONE',
};

const conv = (over: Partial<ConvSpec>, seed = 1) => buildConv2D({ ...base, ...over }, rng(seed));
const depthwise = (over: Partial<ConvSpec>, seed = 1) => buildDepthwiseConv2D({ ...base, ...over }, rng(seed));
const perChannel = (n: number) => Array.from({ length: n }, (_, i) => 0.004 + 0.003 * i);

const edgeCases: [string, Partial<ConvSpec>][] = [
  ['SAME, odd 3×3 kernel', { padding: 'SAME', filterH: 3, filterW: 3 }],
  ['SAME, even 2×4 kernel', { padding: 'SAME', filterH: 2, filterW: 4 }],
  ['VALID, odd 3×5 kernel', { padding: 'VALID', filterH: 3, filterW: 5 }],
  ['VALID, even 4×2 kernel', { padding: 'VALID', filterH: 4, filterW: 2 }],
  ['stride 2', { strideH: 2, strideW: 2 }],
  ['stride 3, SAME', { strideH: 3, strideW: 3, inH: 10, inW: 8 }],
  ['stride 3×1, VALID', { strideH: 3, strideW: 1, padding: 'VALID', inH: 10 }],
  ['dilation 2, SAME', { dilationH: 2, dilationW: 2, inH: 9, inW: 9 }],
  ['dilation 2, VALID', { dilationH: 2, dilationW: 2, padding: 'VALID', inH: 9, inW: 9 }],
  ['per-channel weights', { filterScales: perChannel(6) }],
  ['fused RELU', { activation: 'RELU', outputZeroPoint: -128 }],
  ['fused RELU6', { activation: 'RELU6', outputZeroPoint: -128, outputScale: 6 / 255 }],
  ['fused RELU_N1_TO_1', { activation: 'RELU_N1_TO_1', outputScale: 1 / 64 }],
  ['input zero point -128', { inputZeroPoint: -128 }],
  ['input zero point 127', { inputZeroPoint: 127 }],
  ['output zero point 127', { outputZeroPoint: 127 }],
  ['output saturation (tiny output scale)', { outputScale: 1e-4 }],
  ['no bias', { hasBias: false }],
  ['channels not a multiple of the SIMD width', { inC: 13, outC: 11 }],
  ['one input channel, 10×4 kernel (DS-CNN first layer)', { inC: 1, outC: 9, inH: 12, inW: 7, filterH: 10, filterW: 4, strideH: 2, strideW: 2 }],
  ['two batches', { batches: 2 }],
  ['1×1 fast path', { filterH: 1, filterW: 1, inC: 21, outC: 10 }],
  ['1×1 with stride 2 (general path)', { filterH: 1, filterW: 1, strideH: 2, strideW: 2, padding: 'VALID' }],
];

describe('conv2d_s8 / conv2d_1x1_s8', () => {
  for (const [name, over] of edgeCases) {
    it(name, () => { checkLayer(conv(over)); });
  }

  it('chooses the 1×1 kernel only for 1×1, stride 1, unpadded filters', () => {
    expect(prepare(conv({ filterH: 1, filterW: 1 })).layout.name).toBe('conv2d_1x1_s8');
    expect(prepare(conv({ filterH: 1, filterW: 1, strideH: 2, padding: 'VALID' })).layout.name).toBe('conv2d_s8');
    expect(prepare(conv({ filterH: 3, filterW: 3 })).layout.name).toBe('conv2d_s8');
  });

  it('output saturates to both int8 ends', () => {
    const out = checkLayer(conv({ outputScale: 1e-4, inputZeroPoint: 0, outputZeroPoint: 0 }));
    expect(out).toContain(127);
    expect(out).toContain(-128);
  });

  it('RELU6 clamps to the quantized [0, 6]', () => {
    const out = checkLayer(conv({ activation: 'RELU6', outputZeroPoint: -128, outputScale: 6 / 255, filterScales: [0.3] }));
    expect(Math.min(...out)).toBe(-128);
    expect(Math.max(...out)).toBe(127);
  });
});

describe('depthwise_conv2d_s8', () => {
  const dwCases: [string, Partial<ConvSpec>][] = [
    ...edgeCases.filter(([n]) => !n.includes('1×1') && !n.includes('DS-CNN')).map(([n, o]) => [n, { ...o, outC: (o.inC ?? 5) }] as [string, Partial<ConvSpec>]),
    ['depth multiplier 2', { depthMultiplier: 2, outC: 10, filterScales: perChannel(10) }],
    ['depth multiplier 3, dilation 2, stride 2', { depthMultiplier: 3, outC: 15, dilationH: 2, dilationW: 2, strideH: 2, strideW: 2, inH: 9, inW: 9 }],
    ['64 channels (DS-CNN)', { inC: 64, outC: 64, filterScales: perChannel(64), inH: 25, inW: 5 }],
    ['12 channels (8 + 4 lanes)', { inC: 12, outC: 12 }],
    ['depth multiplier 4, 3 input channels (4-lane blocks)', { inC: 3, depthMultiplier: 4 }],
    ['depth multiplier 8, 1 input channel, 10×8 filter, stride 2 (micro_speech)',
      { inC: 1, depthMultiplier: 8, inH: 13, inW: 11, filterH: 10, filterW: 8, strideH: 2, strideW: 2, filterScales: perChannel(8) }],
    ['depth multiplier 16, 5 input channels, per-channel weights', { depthMultiplier: 16, filterScales: perChannel(80) }],
    ['depth multiplier 13 (8 + 4 + 1 lanes), VALID, stride 2', { inC: 3, depthMultiplier: 13, padding: 'VALID', strideH: 2, strideW: 2 }],
    ['depth multiplier 12, dilation 2, RELU6', { inC: 2, depthMultiplier: 12, dilationH: 2, dilationW: 2, inH: 9, inW: 9, activation: 'RELU6', outputZeroPoint: -128, outputScale: 6 / 255 }],
  ];
  for (const [name, over] of dwCases) {
    it(name, () => {
      const fixed = { ...over, outC: (over.inC ?? base.inC) * (over.depthMultiplier ?? 1) };
      if (fixed.filterScales && fixed.filterScales.length > 1 && fixed.filterScales.length !== fixed.outC) fixed.filterScales = perChannel(fixed.outC);
      checkLayer(depthwise(fixed));
    });
  }
});

describe('fully_connected_s8', () => {
  const fc: FullyConnectedSpec = {
    batches: 1, inDepth: 64, outDepth: 12, inputZeroPoint: -128, outputZeroPoint: 14, inputScale: 0.08,
    outputScale: 0.14, filterScales: [0.008], hasBias: true, biasRange: 5000, activation: 'NONE',
  };
  const cases: [string, Partial<FullyConnectedSpec>][] = [
    ['DS-CNN classifier 64 → 12', {}],
    ['odd sizes 37 → 5, 3 batches', { inDepth: 37, outDepth: 5, batches: 3 }],
    ['per-channel weights', { filterScales: perChannel(12) }],
    ['RELU, zero points 127', { activation: 'RELU', inputZeroPoint: 127, outputZeroPoint: 127 }],
    ['no bias, saturating', { hasBias: false, outputScale: 1e-3 }],
    ['one input', { inDepth: 1, outDepth: 7 }],
  ];
  for (const [name, over] of cases) {
    it(name, () => { checkLayer(buildFullyConnected({ ...fc, ...over }, rng(7))); });
  }

  it('flattens any input rank into batches × depth', () => {
    const l = buildFullyConnected({ ...fc, batches: 2, inDepth: 24 }, rng(3));
    l.graph.tensors[0].shape = [2, 2, 3, 4];
    const p = prepare(l);
    expect(p.scalars).toMatchObject({ batches: 2, input_depth: 24, output_depth: 12 });
    checkLayer(l, p);
  });
});

describe('requantization extremes (multipliers near 2^31 and tiny, shifts -31..+30)', () => {
  const multipliers = [0x7fffffff, 0x7ffffffe, 0x40000000, 0x40000001, 0x5a827999, 1, 0];
  const shifts = [-31, -30, -17, -8, -1, 0, 1, 2, 5, 16, 30];
  const cases = [
    ['conv2d_s8', () => conv({ outC: 11, inC: 9 })],
    ['conv2d_1x1_s8', () => conv({ outC: 11, inC: 19, filterH: 1, filterW: 1 })],
    ['depthwise_conv2d_s8', () => depthwise({ inC: 11, outC: 11 })],
    ['fully_connected_s8', () => buildFullyConnected({ ...base, batches: 3, inDepth: 21, outDepth: 11 }, rng(5))],
  ] as const;
  for (const [name, make] of cases) {
    it(name, () => {
      const l = make();
      const p = prepare(l);
      expect(p.layout.name).toBe(name);
      const r = rng(11);
      for (let round = 0; round < 12; round++) {
        const m = Int32Array.from({ length: 11 }, () => r.pick(multipliers));
        const s = Int32Array.from({ length: 11 }, () => r.pick(shifts));
        const ptr = p.pointers as Record<string, unknown>;
        ptr.multipliers = { kind: 'const', data: int32Bytes(m) };
        ptr.shifts = { kind: 'const', data: int32Bytes(s) };
        checkLayer(l, p, `round ${round}`);
      }
    });
  }
});

describe('requantization of any int32 accumulator', () => {
  // A 1-input fully connected layer with weight 1 and no input offset accumulates x + bias[c]: with
  // random full-range biases every int32 accumulator (and int32 wrap-around) reaches the requantization.
  it('random accumulators, multipliers in [2^30, 2^31) and every shift from -31 to +30', () => {
    const r = rng(99);
    const channels = 67;
    for (let round = 0; round < 150; round++) {
      const l = buildFullyConnected({ ...base, batches: 5, inDepth: 1, outDepth: channels, inputZeroPoint: 0 }, r);
      l.graph.tensors[1].data = new Uint8Array(channels).fill(1);
      // Small accumulators with multiplier 2^30 and small right shifts hit the rounding ties.
      const small = round % 2 === 1;
      const bias = Int32Array.from({ length: channels }, () => small ? r.int(-4096, 4096) : (r.next() * 2 ** 32) | 0);
      l.graph.tensors[2].data = new Uint8Array(bias.buffer);
      const p = prepare(l);
      const ptr = p.pointers as Record<string, unknown>;
      const m = Int32Array.from({ length: channels }, () =>
        small && r.next() < 0.5 ? 0x40000000 : r.next() < 0.1 ? r.pick([0x40000000, 0x7fffffff]) : 0x40000000 + r.int(0, 0x3fffffff));
      const sh = Int32Array.from({ length: channels }, () => small ? r.int(-6, 2) : r.int(-31, 30));
      ptr.multipliers = { kind: 'const', data: int32Bytes(m) };
      ptr.shifts = { kind: 'const', data: int32Bytes(sh) };
      ptr.folded_bias = { kind: 'const', data: int32Bytes(bias) };
      const out = checkLayer(l, p, `round ${round}`);
      if (round === 0) expect(new Set(out).size).toBeGreaterThan(3);
    }
  });
});

describe('property: SIMD build == scalar build == TypeScript reference on random layers', () => {
  it('2000 random CONV_2D layers', () => {
    const r = rng(20261129);
    for (let i = 0; i < 2000; i++) {
      const spec = randomConvSpec(r, false);
      checkLayer(buildConv2D(spec, r), undefined, `#${i} ${JSON.stringify(spec)}`);
    }
  });
  it('2000 random DEPTHWISE_CONV_2D layers', () => {
    const r = rng(1234567);
    for (let i = 0; i < 2000; i++) {
      const spec = randomConvSpec(r, true);
      checkLayer(buildDepthwiseConv2D(spec, r), undefined, `#${i} ${JSON.stringify(spec)}`);
    }
  });
  it('1000 random DEPTHWISE_CONV_2D layers with depth multipliers 2 to 16', () => {
    const r = rng(7654321);
    for (let i = 0; i < 1000; i++) {
      const spec = randomConvSpec(r, true, [2, 3, 4, 5, 6, 7, 8, 9, 12, 16]);
      checkLayer(buildDepthwiseConv2D(spec, r), undefined, `#${i} ${JSON.stringify(spec)}`);
    }
  });
  it('300 random layers whose rows are 8 or 16 products long (the SIMD matrix product\'s channel-lane path)', () => {
    const r = rng(8162026);
    for (let i = 0; i < 150; i++) {
      // 1×1 convolutions over 8 or 16 input channels: any pixel count (odd rows too), any output channels.
      const conv = { ...randomConvSpec(r, false), filterH: 1, filterW: 1, dilationH: 1, dilationW: 1, inC: r.pick([8, 16]) };
      conv.inH = Math.max(conv.inH, 1);
      checkLayer(buildConv2D({ ...conv, ...randomQuant(r, conv.outC, conv.inC) }, r), undefined, `conv #${i} ${JSON.stringify(conv)}`);
      const fc = { ...randomFullyConnectedSpec(r), inDepth: r.pick([8, 16]) };
      checkLayer(buildFullyConnected({ ...fc, ...randomQuant(r, fc.outDepth, fc.inDepth) }, r), undefined, `fc #${i} ${JSON.stringify(fc)}`);
    }
  });
  it('120 random wide CONV_2D layers (24 to 40 output columns: the SIMD build reads inner pixels in place)', () => {
    const r = rng(24402026);
    for (let i = 0; i < 120; i++) {
      const spec = randomConvSpec(r, false);
      const inC = r.pick([8, 16, 24]);
      const wide = { ...spec, inC, inW: r.int(26, 44), inH: r.int(3, 6), dilationW: 1, dilationH: r.pick([1, 1, 2]), strideW: r.pick([1, 1, 2]) };
      wide.filterH = Math.min(wide.filterH, wide.inH);
      if (wide.padding === 'VALID' && (wide.filterH - 1) * wide.dilationH + 1 > wide.inH) wide.padding = 'SAME';
      if (Math.ceil((wide.padding === 'SAME' ? wide.inW : wide.inW - wide.filterW + 1) / wide.strideW) < 24) wide.strideW = 1;
      checkLayer(buildConv2D({ ...wide, ...randomQuant(r, wide.outC, wide.filterH * wide.filterW * inC) }, r), undefined, `#${i} ${JSON.stringify(wide)}`);
    }
  });
  it('200 random strided 1×1 CONV_2D layers (the SIMD build reads each output row\'s pixels in place, factors made once)', () => {
    const r = rng(19012026);
    for (let i = 0; i < 200; i++) {
      const spec = randomConvSpec(r, false);
      // Input lengths with and without a tail (and the 8/16 channel-lane path), channel counts with tails and
      // past the factor table's 256 (the per-product factors), odd output rows, strides in one or both axes.
      const inC = r.pick([3, 8, 13, 16, 24, 32, 40, 64]);
      const outC = r.pick([1, 4, 7, 16, 30, 64, 260]);
      const [strideH, strideW] = r.pick([[2, 2], [3, 3], [2, 1], [1, 2], [3, 2]]);
      const conv = {
        ...spec, batches: r.pick([1, 1, 2]), inC, outC, filterH: 1, filterW: 1, dilationH: 1, dilationW: 1, strideH, strideW,
        inH: r.int(1, 9), inW: r.int(1, 13), padding: r.pick(['SAME', 'VALID'] as const),
      };
      const l = buildConv2D({ ...conv, ...randomQuant(r, outC, inC) }, r);
      const p = prepare(l);
      expect(p.layout.name).toBe('conv2d_s8');
      checkLayer(l, p, `#${i} ${JSON.stringify(conv)}`);
    }
  });
  it('2000 random FULLY_CONNECTED layers', () => {
    const r = rng(42);
    for (let i = 0; i < 2000; i++) {
      const spec = randomFullyConnectedSpec(r);
      checkLayer(buildFullyConnected(spec, r), undefined, `#${i} ${JSON.stringify(spec)}`);
    }
  });
});
