// Quantization-aware fine-tuning rounds exactly what tinyforge's compiler rounds: the same input grid, the same
// per-channel weight codes, the same activation ranges. Otherwise it would train the model for the wrong int8 model.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCalibrationData } from '../../compiler/calibrate/calibration-data.ts';
import { quantizeFloat32ToInt8 } from '../../compiler/input-data/quantize-input.ts';
import { quantizeSymmetric, symmetricScales } from '../../compiler/quantize/quantization-params.ts';
import type { FeatureSet } from '../../examples/kws/data/dataset.ts';
import { compileKwsModel, KWS_MODEL_DIR } from '../../examples/kws/kws-model.ts';
import { trainKws, useCpuWithFastGradients } from '../../examples/kws/train.ts';
import { KWS_SOFTMAX_HEADROOM } from '../../examples/kws/softmax-headroom.ts';
import { loadLayersModel } from '../../examples/kws/training/model-files.ts';
import { fakeQuantizeAffine, fakeQuantizeSymmetric, forward, measureRanges } from '../../examples/kws/training/quantization-aware.ts';

let calibration: FeatureSet;
let model: tf.LayersModel;

beforeAll(async () => {
  await useCpuWithFastGradients();
  const data = loadCalibrationData(join(KWS_MODEL_DIR, 'calibration-x.npy'), [1, 49, 10, 1]);
  calibration = { x: data.values, y: new Int32Array(data.samples), clips: [] };
  model = await loadLayersModel(KWS_MODEL_DIR);
});

const codes = (t: tf.Tensor, scale: number | Float32Array, zeroPoint = 0) =>
  Array.from(t.dataSync(), (v, i) => Math.round(v / (typeof scale === 'number' ? scale : scale[i % scale.length]!)) + zeroPoint);

describe('quantization-aware training mirrors the compiler', () => {
  it('measures the input and every layer output range as the compiler calibrates them', async () => {
    // The logits with the same softmax headroom the pipeline compiles with.
    const ranges = measureRanges(model, calibration, 1, { softmaxHeadroom: KWS_SOFTMAX_HEADROOM });
    const compiled = await compileKwsModel();
    expect(ranges.input).toEqual({ scale: compiled.inputScale, zeroPoint: compiled.inputZeroPoint });
    const byName = new Map(compiled.int8Graph.tensors.map((t) => [t.name, t.quant]));
    expect([...ranges.outputs.keys()]).toEqual(['conv0', 'dw1', 'pw1', 'dw2', 'pw2', 'dw3', 'pw3', 'dw4', 'pw4', 'logits']);
    for (const [layer, p] of ranges.outputs) {
      const q = byName.get(layer === 'logits' ? 'logits' : `${layer}/relu`)!;
      // tfjs cpu here, the wasm backend in the compiler: float sums may differ in the last bits.
      expect(p.scale / q.scale[0]!).toBeCloseTo(1, 5);
      expect(p.zeroPoint).toBe(q.zeroPoint[0]);
    }
  }, 120_000);

  it('rounds inputs onto the same int8 codes as the runtime quantizes them', () => {
    const p = measureRanges(model, calibration, 1).input;
    const x = calibration.x.subarray(0, 490 * 24);
    const expected = Array.from(new Int8Array(quantizeFloat32ToInt8(x, p.scale, p.zeroPoint).buffer));
    expect(codes(fakeQuantizeAffine(tf.tensor(x), p), p.scale, p.zeroPoint)).toEqual(expected);
  });

  it('rounds conv and depthwise kernels per output channel, and the dense kernel per tensor, to the compiler codes', () => {
    for (const [name, perChannel] of [['conv0', true], ['pw2', true], ['dw3', true], ['logits', false]] as const) {
      let kernel = model.getLayer(name).getWeights()[0]!;
      if (kernel.rank === 4 && name.startsWith('dw')) kernel = kernel.reshape(kernel.shape.slice(0, 2).concat(kernel.shape[2]! * kernel.shape[3]!));
      const values = kernel.dataSync() as Float32Array;
      const axis = perChannel ? kernel.rank - 1 : undefined;
      const scales = symmetricScales(values, kernel.shape, axis);
      const expected = Array.from(quantizeSymmetric(values, kernel.shape, axis, scales));
      expect(codes(fakeQuantizeSymmetric(kernel, perChannel), Float32Array.from(scales))).toEqual(expected);
    }
  });

  it('runs the float model unchanged when given no ranges', () => {
    const x = tf.tensor4d(calibration.x.subarray(0, 490 * 8), [8, 49, 10, 1]);
    const ours = tf.softmax(forward(model, x, { inputScale: 1, training: false })).dataSync();
    const theirs = (model.predict(x) as tf.Tensor).dataSync();
    ours.forEach((v, i) => expect(v).toBeCloseTo(theirs[i]!, 5));
  });

  it('passes gradients through the rounding: two fine-tuning steps move every layer', async () => {
    await useCpuWithFastGradients(); // compileKwsModel switched to the wasm backend, which has no filter gradients
    const before = model.getWeights().map((w) => w.dataSync().slice());
    const set: FeatureSet = { x: calibration.x.subarray(0, 490 * 24), y: Int32Array.from({ length: 24 }, (_, i) => i % 12), clips: [] };
    const losses: number[] = [];
    const { model: tuned, qat, steps } = await trainKws({
      train: set, val: set, epochs: 0, batchSize: 12, seed: 3, maxSeconds: 600, learningRate: 0.003, from: model,
      qat: { epochs: 1, learningRate: 1e-3, calibration: set, maxSteps: 2, onStep: (p) => losses.push(p.loss) },
    });
    expect(steps).toBe(0);
    expect(qat?.steps).toBe(2);
    expect(losses.every(Number.isFinite)).toBe(true);
    const after = tuned.getWeights();
    // Each kernel and bias changed (a zero straight-through gradient would leave some untouched).
    after.forEach((w, i) => expect(Array.from(w.dataSync())).not.toEqual(Array.from(before[i]!)));
  }, 60_000);
});
