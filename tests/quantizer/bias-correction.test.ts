// Bias correction: a network whose per-tensor fully connected weights round with a systematic
// error (one large weight sets a coarse step) and whose inputs have a non-zero mean shows a mean
// output offset in int8; correcting the int32 biases layer by layer removes it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph, Tensor } from '../../formats/ir/graph.ts';
import { bytesOf } from '../../compiler/ir/tensor-values.ts';
import { useFloatBackend } from '../../compiler/calibrate/tfjs-backend.ts';
import { FloatExecutor } from '../../compiler/calibrate/float-executor.ts';
import { calibrate } from '../../compiler/calibrate/calibrate.ts';
import type { CalibrationData } from '../../compiler/calibrate/calibration-data.ts';
import { quantizeGraph } from '../../compiler/quantize/quantize-graph.ts';
import { correctBiases } from '../../compiler/quantize/bias-correction.ts';
import { quantizeModel } from '../../compiler/quantize/quantize-model.ts';
import { Int8ReferenceRun } from '../../compiler/report/int8-reference-run.ts';

/** Deterministic values in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** x[16] → FC(16→8)+RELU → FC(8→4). */
function twoLayerNet(): Graph {
  const rnd = lcg(7);
  const w1 = Float32Array.from({ length: 8 * 16 }, () => rnd() * 0.2 - 0.05);
  w1[5] = 3; // sets the per-tensor step: the small weights all round on a coarse grid
  const w2 = Float32Array.from({ length: 4 * 8 }, () => rnd() * 0.6 - 0.2);
  w2[0] = 4;
  const t = (id: number, name: string, shape: number[], data?: Float32Array): Tensor =>
    ({ id, name, shape, dtype: 'float32', ...(data ? { data: bytesOf(data) } : {}) });
  return {
    name: 'two-fc',
    tensors: [
      t(0, 'x', [1, 16]), t(1, 'w1', [8, 16], w1), t(2, 'b1', [8], new Float32Array(8).fill(0.1)), t(3, 'h', [1, 8]),
      t(4, 'w2', [4, 8], w2), t(5, 'b2', [4], new Float32Array(4)), t(6, 'y', [1, 4]),
    ],
    ops: [
      { index: 0, type: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3], attrs: { activation: 'RELU', keepNumDims: false } },
      { index: 1, type: 'FULLY_CONNECTED', inputs: [3, 4, 5], outputs: [6], attrs: { activation: 'NONE', keepNumDims: false } },
    ],
    inputs: [0],
    outputs: [6],
  };
}

function samples(count: number, seed: number): CalibrationData {
  const rnd = lcg(seed);
  // Mean 0.6: the weights' rounding errors add up instead of cancelling.
  return { values: Float32Array.from({ length: count * 16 }, () => 0.2 + 0.8 * rnd()), samples: count, sampleSize: 16, source: 'synthetic' };
}

/** Per output channel, the mean of int8 − float over the samples, in output steps. */
function meanOutputOffsetSteps(float: Graph, int8: Graph, data: CalibrationData): number[] {
  const exec = new FloatExecutor(float);
  const [f] = exec.run([data.values], data.samples);
  exec.dispose();
  const run = new Int8ReferenceRun(int8, []);
  const mean = [0, 0, 0, 0];
  for (let s = 0; s < data.samples; s++) {
    const q = run.run(data.values.subarray(s * 16, (s + 1) * 16)).get(6)!;
    for (let c = 0; c < 4; c++) mean[c]! += (q[c]! - f![s * 4 + c]!) / data.samples;
  }
  const step = int8.tensors[6]!.quant!.scale[0]!;
  return mean.map((m) => m / step);
}

describe('bias correction', () => {
  beforeAll(async () => { await useFloatBackend('wasm'); });

  it('removes the mean output offset that weight rounding leaves, on data it was not measured on', () => {
    const float = twoLayerNet();
    const cal = samples(200, 1);
    const fresh = samples(200, 2);
    const plain = quantizeGraph(float, calibrate(float, cal), {});
    const { graph: corrected, shifts } = correctBiases(float, plain, cal);
    expect(shifts.map((s) => s.opIndex)).toEqual([0, 1]);

    const before = meanOutputOffsetSteps(float, plain, fresh);
    const after = meanOutputOffsetSteps(float, corrected, fresh);
    console.log(`mean output offset per channel (steps): before ${before.map((x) => x.toFixed(2)).join(' ')}, after ${after.map((x) => x.toFixed(2)).join(' ')}`);
    const worst = (v: number[]) => Math.max(...v.map(Math.abs));
    expect(worst(before)).toBeGreaterThan(0.5);
    expect(worst(after)).toBeLessThan(0.25);
    // Only the biases change.
    corrected.tensors.forEach((t, id) => { if (id !== 2 && id !== 5) expect(t).toBe(plain.tensors[id]); });
  });

  it('is on by default in quantizeModel and can be turned off', () => {
    const float = twoLayerNet();
    const data = samples(100, 3);
    const on = quantizeModel(float, data, { passes: [] });
    const off = quantizeModel(float, data, { passes: [], biasCorrection: false });
    expect(off.int8Graph).toEqual(quantizeGraph(off.floatGraph, off.ranges, {}));
    expect(on.int8Graph.tensors[2]!.data).not.toEqual(off.int8Graph.tensors[2]!.data);
  });
});
