// A small DS-CNN (conv → depthwise-separable block → pooling → dense) trained for a few steps on
// synthetic 4-class "spectrogram" patterns with tfjs' cpu backend, then saved as a LayersModel
// folder (model.json + weights.bin) exactly as `model.save()` hands the artifacts over.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const INPUT_SHAPE = [16, 8, 1] as const;
export const CLASSES = 4;

/**
 * Deterministic samples of four local textures a 3×3 receptive field can tell apart (the global
 * pooling discards position): horizontal stripes, vertical stripes, a checkerboard, a flat level;
 * random amplitude, phase and noise.
 */
export function syntheticData(count: number, seed: number): { x: Float32Array; y: Int32Array } {
  let s = seed >>> 0;
  const rand = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
  const [h, w] = INPUT_SHAPE;
  const x = new Float32Array(count * h * w);
  const y = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const k = n % CLASSES;
    y[n] = k;
    const amp = 0.7 + 0.6 * rand();
    const phase = rand() < 0.5 ? 0 : 1;
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const v = k === 0 ? (r + phase) % 2 : k === 1 ? (c + phase) % 2 : k === 2 ? (r + c + phase) % 2 : 0.5;
        x[(n * h + r) * w + c] = amp * v + (rand() - 0.5) * 0.6;
      }
    }
  }
  return { x, y };
}

export function buildDsCnn(): tf.LayersModel {
  // Seeded initializers and dropout: the same trained model on every run.
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const m = tf.sequential({ name: 'tiny_ds_cnn' });
  m.add(tf.layers.conv2d({ inputShape: [...INPUT_SHAPE], filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: init(11), name: 'conv0' }));
  m.add(tf.layers.batchNormalization({ momentum: 0.7, name: 'bn0' }));
  m.add(tf.layers.reLU({ name: 'relu0' }));
  m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, depthwiseInitializer: init(12), name: 'dw1' }));
  m.add(tf.layers.batchNormalization({ momentum: 0.7, name: 'bn1' }));
  m.add(tf.layers.activation({ activation: 'relu', name: 'relu1' }));
  m.add(tf.layers.conv2d({ filters: 16, kernelSize: 1, useBias: false, kernelInitializer: init(13), name: 'pw1' }));
  m.add(tf.layers.batchNormalization({ momentum: 0.7, name: 'bn2' }));
  m.add(tf.layers.reLU({ maxValue: 6, name: 'relu6_2' }));
  m.add(tf.layers.dropout({ rate: 0.2, seed: 14, name: 'drop' }));
  m.add(tf.layers.globalAveragePooling2d({ name: 'gap' }));
  m.add(tf.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: init(15), name: 'fc' }));
  return m;
}

export async function trainDsCnn(model: tf.LayersModel, epochs: number): Promise<void> {
  const { x, y } = syntheticData(256, 7);
  const xs = tf.tensor4d(x, [256, ...INPUT_SHAPE]);
  const ys = tf.oneHot(tf.tensor1d(y, 'int32'), CLASSES);
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy' });
  await model.fit(xs, ys, { epochs, batchSize: 64, shuffle: false, verbose: 0 });
  xs.dispose();
  ys.dispose();
}

/** Saves as a LayersModel folder: model.json (topology + manifest) and one weights.bin shard. */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const data = artifacts.weightData;
    const parts = Array.isArray(data) ? data : data ? [data] : [];
    const bytes = Buffer.concat(parts.map((p) => Buffer.from(p)));
    writeFileSync(join(dir, 'weights.bin'), bytes);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({
      modelTopology: artifacts.modelTopology,
      format: 'layers-model',
      generatedBy: 'tinyforge tests',
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    }));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
}
