// A couple of training steps on a tiny batch, the saved model's round trip, and the folded input scale.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeatureSet } from '../../examples/kws/data/dataset.ts';
import { mfccFloat } from '../../frontend/mfcc-float.ts';
import { FEATURE_COUNT } from '../../frontend/mfcc-config.ts';
import { predictClasses, trainKws, useCpuWithFastGradients } from '../../examples/kws/train.ts';
import { evaluatePredictions } from '../../examples/kws/training/confusion-matrix.ts';
import { loadLayersModel, saveLayersModel } from '../../examples/kws/training/model-files.ts';
import { syntheticClips } from './test-clips.ts';

beforeAll(async () => {
  await useCpuWithFastGradients();
});

function tinySet(): FeatureSet {
  const clips = syntheticClips().slice(0, 6);
  const x = new Float32Array(clips.length * FEATURE_COUNT);
  clips.forEach((c, i) => x.set(mfccFloat(c.samples), i * FEATURE_COUNT));
  return { x, y: Int32Array.from(clips, (_, i) => i % 12), clips: [] };
}

describe('keyword model training', () => {
  it('runs two steps, saves model.json + weights.bin, and loads back the same predictions', async () => {
    const set = tinySet();
    const steps: number[] = [];
    const { model, steps: n } = await trainKws({
      train: set, val: set, epochs: 1, batchSize: 4, seed: 3, maxSeconds: 600, learningRate: 0.003, maxSteps: 2, channels: 8,
      onStep: (p) => { steps.push(p.loss); expect(Number.isFinite(p.loss)).toBe(true); },
    });
    expect(n).toBe(2);
    expect(steps.length).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'kws-model-'));
    await saveLayersModel(model, dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const loaded = await loadLayersModel(dir);
    expect(Array.from(predictClasses(loaded, set))).toEqual(Array.from(predictClasses(model, set)));
    // The saved model takes raw MFCC: conv0 carries the training-time input scale.
    const raw = tf.tensor4d(set.x.subarray(0, FEATURE_COUNT), [1, 49, 10, 1]);
    const a = (model.predict(raw) as tf.Tensor).dataSync(), b = (loaded.predict(raw) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    // --channels sets the DS-CNN's width: conv0 10×4×8 + 4 × (depthwise 3×3×8 + pointwise 8×8) + dense 8×12, with biases.
    expect(json.modelTopology.config.layers.find((l: { name: string }) => l.name === 'conv0').config.filters).toBe(8);
    expect(model.countParams()).toBe(10 * 4 * 8 + 8 + 4 * (9 * 8 + 8 + 8 * 8 + 8) + 8 * 12 + 12);
  });

  it('scores predictions with a confusion matrix', () => {
    const e = evaluatePredictions([0, 0, 1, 2], [0, 1, 1, 2], 3);
    expect(e.accuracy).toBe(0.75);
    expect(e.confusion).toEqual([[1, 1, 0], [0, 1, 0], [0, 0, 1]]);
  });
});
