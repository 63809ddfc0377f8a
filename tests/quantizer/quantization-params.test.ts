// TFLite's int8 parameter rules, on hand-picked numbers.
import { describe, expect, it } from 'vitest';
import {
  activationParams, quantizeAffine, quantizeBias, quantizeSymmetric, symmetricScales,
} from '../../compiler/quantize/quantization-params.ts';
import { quantizeGraph } from '../../compiler/quantize/quantize-graph.ts';
import type { Graph } from '../../formats/ir/graph.ts';
import { bytesOf } from '../../compiler/ir/tensor-values.ts';

describe('activation parameters', () => {
  it('spans the range with 255 steps and nudges the zero point onto the grid', () => {
    const p = activationParams({ min: -1, max: 3 });
    expect(p.scale).toBe(Math.fround(4 / 255));
    // −128 − (−1)/scale = −64.25 → −64
    expect(p.zeroPoint).toBe(-64);
  });
  it('widens a range that excludes zero so that 0 is exact', () => {
    expect(activationParams({ min: 2, max: 6 })).toEqual({ scale: Math.fround(6 / 255), zeroPoint: -128 });
    expect(activationParams({ min: -5, max: -1 })).toEqual({ scale: Math.fround(5 / 255), zeroPoint: 127 });
  });
  it('gives an always-zero tensor a usable scale', () => {
    const p = activationParams({ min: 0, max: 0 });
    expect(p.scale).toBeGreaterThan(0);
    expect(quantizeAffine(new Float32Array([0]), p)[0]).toBe(p.zeroPoint);
  });
});

describe('weights and biases', () => {
  it('quantizes weights symmetrically per output channel into [−127, 127]', () => {
    // two output channels (axis 0) of two values
    const w = new Float32Array([0.5, -1, 2, 0.25]);
    const scales = symmetricScales(w, [2, 2], 0);
    expect(scales).toEqual([Math.fround(1 / 127), Math.fround(2 / 127)]);
    expect(Array.from(quantizeSymmetric(w, [2, 2], 0, scales))).toEqual([64, -127, 127, 16]);
  });
  it('uses one scale per tensor when asked', () => {
    const w = new Float32Array([0.5, -1, 2, 0.25]);
    const scales = symmetricScales(w, [2, 2], undefined);
    expect(scales).toEqual([Math.fround(2 / 127)]);
    expect(Array.from(quantizeSymmetric(w, [2, 2], undefined, scales))).toEqual([32, -64, 127, 16]);
  });
  it('puts the bias at input scale × weight scale, zero point 0', () => {
    const { data, scales } = quantizeBias(new Float32Array([0.1, -0.2]), 0.01, [0.5, 0.25]);
    expect(scales).toEqual([Math.fround(0.005), Math.fround(0.0025)]);
    expect(Array.from(data)).toEqual([20, -80]);
  });
});

describe('quantizeGraph', () => {
  // input → FULLY_CONNECTED → RESHAPE → SOFTMAX
  function floatGraph(): Graph {
    return {
      name: 'g',
      tensors: [
        { id: 0, name: 'in', shape: [1, 2], dtype: 'float32' },
        { id: 1, name: 'w', shape: [3, 2], dtype: 'float32', data: bytesOf(new Float32Array([1, 0, 0, 1, -1, 1])) },
        { id: 2, name: 'b', shape: [3], dtype: 'float32', data: bytesOf(new Float32Array([0.5, 0, -0.5])) },
        { id: 3, name: 'fc', shape: [1, 3], dtype: 'float32' },
        { id: 4, name: 'shape', shape: [2], dtype: 'int32', data: bytesOf(new Int32Array([1, 3])) },
        { id: 5, name: 'r', shape: [1, 3], dtype: 'float32' },
        { id: 6, name: 'sm', shape: [1, 3], dtype: 'float32' },
      ],
      ops: [
        { index: 0, type: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3], attrs: { activation: 'NONE', keepNumDims: false } },
        { index: 1, type: 'RESHAPE', inputs: [3, 4], outputs: [5], attrs: { newShape: [1, 3] } },
        { index: 2, type: 'SOFTMAX', inputs: [5], outputs: [6], attrs: { beta: 1 } },
      ],
      inputs: [0],
      outputs: [6],
    };
  }
  const ranges = new Map([[0, { min: -1, max: 1 }], [3, { min: -2, max: 2 }], [5, { min: -3, max: 1 }], [6, { min: 0, max: 1 }]]);

  it('shares scale and zero point across RESHAPE, fixes SOFTMAX output at 1/256, −128', () => {
    const q = quantizeGraph(floatGraph(), ranges);
    const fc = q.tensors[3]!.quant!;
    const r = q.tensors[5]!.quant!;
    expect(r).toEqual(fc);
    // union of the FC output range [−2, 2] and the reshape output range [−3, 1]
    expect(fc.scale[0]).toBe(Math.fround(5 / 255));
    expect(q.tensors[6]!.quant).toEqual({ scale: [1 / 256], zeroPoint: [-128], axis: 0 });
    expect(q.tensors[1]!.dtype).toBe('int8');
    expect(q.tensors[2]!.dtype).toBe('int32');
    expect(q.tensors[2]!.quant!.scale[0]).toBe(Math.fround(q.tensors[0]!.quant!.scale[0]! * q.tensors[1]!.quant!.scale[0]!));
    expect(q.tensors[4]!.dtype).toBe('int32');
    expect(q.tensors[0]!.dtype).toBe('int8');
  });

  it('keeps scales large enough for TFLite to prepare the ops (clamp bounds in int32, SOFTMAX input)', () => {
    const tiny = new Map(ranges);
    tiny.set(3, { min: -1e-12, max: 1e-12 });
    tiny.set(5, { min: -1e-12, max: 1e-12 });
    const q = quantizeGraph(floatGraph(), tiny);
    // softmax (beta 1) needs scale × 2^26 > 1
    expect(q.tensors[5]!.quant!.scale[0]! * 2 ** 26).toBeGreaterThan(1);
  });

  it('adds QUANTIZE and DEQUANTIZE at the edges for float32 I/O', () => {
    const q = quantizeGraph(floatGraph(), ranges, { io: 'float32' });
    expect(q.ops.map((o) => o.type)).toEqual(['QUANTIZE', 'FULLY_CONNECTED', 'RESHAPE', 'SOFTMAX', 'DEQUANTIZE']);
    expect(q.tensors[q.inputs[0]!]!.dtype).toBe('float32');
    expect(q.tensors[q.outputs[0]!]!.dtype).toBe('float32');
    expect(q.ops[0]!.outputs[0]).toBe(0);
    expect(q.ops[4]!.inputs[0]).toBe(6);
  });

  it('refuses float-only ops, naming each', () => {
    const g = floatGraph();
    g.ops[1] = { ...g.ops[1]!, type: 'IDENTITY', inputs: [3], attrs: {} };
    expect(() => quantizeGraph(g, ranges)).toThrow(/1 op\(s\) cannot be quantized to int8: IDENTITY \(op 1, output 'r'\)/);
  });
});

describe('scale floors', () => {
  it('widens a near-constant range to the smallest step a kernel accepts, keeping 0 exact', () => {
    const p = activationParams({ min: -1e-9, max: 3e-9 }, 1e-6);
    expect(p.scale).toBeCloseTo(1e-6, 12);
    expect(p.zeroPoint).toBe(-64); // the range keeps its proportions: a quarter (64 steps) below zero
  });
});
