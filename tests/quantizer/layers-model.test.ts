// TF.js LayersModel import: a small DS-CNN built and trained here with @tensorflow/tfjs, saved as
// model.json + weights.bin, imports to the same float function and quantizes to an int8 model
// that agrees with the float predictions; unsupported layers are all named in one error.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModel } from '../../compiler/import/import-model.ts';
import { FloatExecutor } from '../../compiler/calibrate/float-executor.ts';
import { useFloatBackend } from '../../compiler/calibrate/tfjs-backend.ts';
import { quantizeModel } from '../../compiler/quantize/quantize-model.ts';
import { accuracyReport, formatReport } from '../../compiler/report/accuracy-report.ts';
import { buildDsCnn, INPUT_SHAPE, saveLayersModel, syntheticData, trainDsCnn } from './tiny-ds-cnn.ts';

describe('TF.js LayersModel import', () => {
  let dir = '';
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'tinyforge-layers-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a DS-CNN trained briefly in tfjs compiles to int8 agreeing ≥ 97% top-1 with its float predictions', async () => {
    // Training needs gradients: the cpu backend (the WASM one cannot train convolutions).
    await tf.setBackend('cpu');
    const model = buildDsCnn();
    await trainDsCnn(model, 4);
    const modelDir = join(dir, 'ds_cnn');
    await saveLayersModel(model, modelDir);
    const { x, y } = syntheticData(300, 1234);
    const predicted = tf.tidy(() => (model.predict(tf.tensor4d(x, [300, ...INPUT_SHAPE])) as tf.Tensor).dataSync() as Float32Array);
    model.dispose();
    // The model learned the task (else agreement would say little).
    let correct = 0;
    for (let s = 0; s < 300; s++) {
      const p = Array.from(predicted.subarray(s * 4, s * 4 + 4));
      if (p.indexOf(Math.max(...p)) === y[s]) correct++;
    }
    expect(correct / 300).toBeGreaterThan(0.9);

    await useFloatBackend('wasm');
    const graph = importModel(modelDir);
    expect(graph.ops.map((o) => o.type)).toEqual([
      'CONV_2D', 'BATCH_NORM', 'RELU', 'DEPTHWISE_CONV_2D', 'BATCH_NORM', 'RELU', 'CONV_2D', 'BATCH_NORM', 'RELU6',
      'IDENTITY', 'AVERAGE_POOL_2D', 'RESHAPE', 'FULLY_CONNECTED', 'SOFTMAX',
    ]);
    // The imported graph computes what tfjs computes.
    const exec = new FloatExecutor(graph);
    const [ours] = exec.run([x], 300);
    exec.dispose();
    for (let i = 0; i < ours!.length; i++) expect(Math.abs(ours![i]! - predicted[i]!)).toBeLessThan(1e-5);

    const q = quantizeModel(graph, { values: x, samples: 300, sampleSize: x.length / 300, source: 'synthetic' }, {});
    // BatchNorm folded, ReLU/ReLU6 fused, Dropout dropped.
    expect(q.int8Graph.ops.map((o) => `${o.type}${'activation' in o.attrs && o.attrs.activation !== 'NONE' ? `+${o.attrs.activation}` : ''}`)).toEqual([
      'CONV_2D+RELU', 'DEPTHWISE_CONV_2D+RELU', 'CONV_2D+RELU6', 'AVERAGE_POOL_2D', 'RESHAPE', 'FULLY_CONNECTED', 'SOFTMAX',
    ]);
    const report = accuracyReport(q.floatGraph, q.int8Graph, q.evaluation);
    console.log(formatReport(report));
    expect(report.samples).toBe(60);
    expect(report.top1Agreement!).toBeGreaterThanOrEqual(0.97);
    for (const l of report.layers) expect(l.sqnrDb, l.name).toBeGreaterThan(25);
  });

  it('imports pooling, Flatten, Reshape, a Softmax layer and Dense on a 3-D input as tfjs computes them', async () => {
    await tf.setBackend('cpu');
    const m = tf.sequential({ name: 'shapes' });
    m.add(tf.layers.averagePooling2d({ inputShape: [8, 6, 2], poolSize: [2, 2], strides: [2, 1], padding: 'same', name: 'avg' }));
    m.add(tf.layers.reshape({ targetShape: [4, 12], name: 'reshape' }));
    m.add(tf.layers.dense({ units: 5, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), name: 'dense3d' }));
    m.add(tf.layers.flatten({ name: 'flatten' }));
    m.add(tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }), name: 'logits' }));
    m.add(tf.layers.softmax({ name: 'probs' }));
    const modelDir = join(dir, 'shapes');
    await saveLayersModel(m, modelDir);
    const x = Float32Array.from({ length: 20 * 96 }, (_, i) => Math.sin(i * 0.37) * 3);
    const predicted = tf.tidy(() => (m.predict(tf.tensor4d(x, [20, 8, 6, 2])) as tf.Tensor).dataSync() as Float32Array);
    m.dispose();

    await useFloatBackend('wasm');
    const graph = importModel(modelDir);
    expect(graph.ops.map((o) => o.type)).toEqual(['AVERAGE_POOL_2D', 'RESHAPE', 'FULLY_CONNECTED', 'TANH', 'RESHAPE', 'FULLY_CONNECTED', 'SOFTMAX']);
    expect(graph.tensors[graph.ops[1]!.outputs[0]!]!.shape).toEqual([1, 4, 12]);
    const exec = new FloatExecutor(graph);
    const [ours] = exec.run([x], 20);
    exec.dispose();
    for (let i = 0; i < ours!.length; i++) expect(Math.abs(ours![i]! - predicted[i]!)).toBeLessThan(1e-5);

    const q = quantizeModel(graph, { values: x, samples: 20, sampleSize: 96, source: 'sine' }, {});
    const report = accuracyReport(q.floatGraph, q.int8Graph, q.evaluation);
    expect(report.top1Agreement).toBe(1);
  });

  it('names every unsupported layer at once', () => {
    const modelDir = join(dir, 'unsupported');
    mkdirSync(modelDir);
    const layer = (class_name: string, config: object) => ({ class_name, config });
    writeFileSync(join(modelDir, 'model.json'), JSON.stringify({
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 'unsupported',
          layers: [
            layer('Conv2D', { name: 'conv', batch_input_shape: [null, 8, 8, 1], filters: 2, kernel_size: [3, 3], activation: 'elu', use_bias: false }),
            layer('Lambda', { name: 'my_lambda' }),
            layer('LSTM', { name: 'lstm_1', units: 4 }),
            layer('Flatten', { name: 'flatten' }),
          ],
        },
      },
      weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'conv/kernel', shape: [3, 3, 1, 2], dtype: 'float32' }] }],
    }));
    writeFileSync(join(modelDir, 'w.bin'), new Uint8Array(18 * 4));
    expect(() => importModel(modelDir)).toThrow(
      /unsupported: 3 layer\(s\) cannot be imported: conv \(Conv2D: activation elu\); my_lambda \(Lambda\); lstm_1 \(LSTM\)\. Supported: InputLayer, Conv2D/,
    );
  });

  it('reports weight shards that do not match the manifest', () => {
    const modelDir = join(dir, 'short');
    mkdirSync(modelDir);
    writeFileSync(join(modelDir, 'model.json'), JSON.stringify({
      modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'd', batch_input_shape: [null, 4], units: 2 } }] } },
      weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'd/kernel', shape: [4, 2], dtype: 'float32' }, { name: 'd/bias', shape: [2], dtype: 'float32' }] }],
    }));
    writeFileSync(join(modelDir, 'w.bin'), new Uint8Array(32));
    expect(() => importModel(modelDir)).toThrow(/weight shards hold 32 bytes but the manifest needs more at 'd\/bias'/);
  });
});
