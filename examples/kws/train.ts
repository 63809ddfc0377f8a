// Trains the DS-CNN keyword model on the synthesized data set with tfjs's cpu backend (with fast filter-gradient
// kernels): float training, keeping the weights with the best validation accuracy, then a few epochs of
// quantization-aware fine-tuning (training/quantization-aware.ts) so that tinyforge's int8 model decides as the float
// one does. Saves model.json + weights.bin + labels.txt (+ metrics.json: validation/test accuracy and the test
// confusion matrix) to examples/kws/model/.
//
//   npm run train:kws -- [--data DIR] [--out DIR] [--minutes 18] [--epochs 8] [--steps N] [--batch 32] [--lr 0.003]
//                        [--seed 8] [--channels 64] [--qat-epochs 4] [--qat-lr 0.0001] [--from MODEL_DIR]
// --from fine-tunes a saved model instead of starting from scratch (with --epochs 0: quantization-aware epochs only).
// The committed model: see "command" in model/metrics.json.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_EXTRA_TEST_PER_VOICE, DEFAULT_OUT as DEFAULT_DATA, DEFAULT_PER_VOICE, DEFAULT_SEED, generateDataset } from './data/generate.ts';
import { calibrationClips, loadFeatures, readManifest, type FeatureSet } from './data/dataset.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { FEATURE_COUNT, MFCC_COEFFICIENTS, NUM_FRAMES } from '../../frontend/mfcc-config.ts';
import { LABELS } from './data/labels.ts';
import { KWS_SOFTMAX_HEADROOM } from './softmax-headroom.ts';
import { evaluatePredictions, formatConfusion, type Evaluation } from './training/confusion-matrix.ts';
import { buildDsCnn, DEFAULT_DS_CNN, dsCnnChannels } from './training/ds-cnn.ts';
import { fineTuneQuantizationAware, type QuantizationAwareOptions, type QuantizationAwareResult } from './training/quantization-aware.ts';
import { registerFastBackpropFilters } from './training/fast-backprop-filter.ts';
import { loadLayersModel, saveLayersModel } from './training/model-files.ts';

export const DEFAULT_MODEL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'model');

export interface TrainOptions {
  train: FeatureSet;
  val: FeatureSet;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Stop (keeping the best weights so far) once this much wall time has passed. */
  maxSeconds: number;
  learningRate: number;
  /** Stop after this many float-training steps in total (smoke tests, reproducing a run). */
  maxSteps?: number;
  /** Width of the DS-CNN (default DEFAULT_DS_CNN.channels); a `from` model brings its own. */
  channels?: number;
  /** Start from this model (raw-feature input, as saved) instead of training from scratch; `epochs` may be 0. */
  from?: tf.LayersModel;
  /** Quantization-aware fine-tuning after float training (0: none); its ranges are measured on `calibration`. */
  qat?: { epochs: number; learningRate: number; calibration: FeatureSet; softmaxHeadroom?: number; maxSteps?: number; onStep?: QuantizationAwareOptions['onStep'] };
  onStep?: (p: { epoch: number; step: number; stepsPerEpoch: number; loss: number; acc: number; valAcc: number | null }) => void;
}

export async function useCpuWithFastGradients(): Promise<void> {
  await tf.setBackend('cpu');
  registerFastBackpropFilters();
}

/**
 * Raw MFCC reach ±120 (c0 of silence is −123.6): without batch norm that makes the first steps blow up. Training
 * sees the features times this factor; the saved model takes raw features (the factor folded into conv0's kernel,
 * exact because a convolution with zero padding is linear in its input).
 */
export const TRAINING_INPUT_SCALE = 1 / 32;

function batchTensors(set: FeatureSet, indices: ArrayLike<number>, scale = 1): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const x = new Float32Array(indices.length * FEATURE_COUNT);
  const y = new Float32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const base = indices[i] * FEATURE_COUNT;
    for (let j = 0; j < FEATURE_COUNT; j++) x[i * FEATURE_COUNT + j] = set.x[base + j] * scale;
    y[i] = set.y[indices[i]];
  }
  return { x: tf.tensor4d(x, [indices.length, NUM_FRAMES, MFCC_COEFFICIENTS, 1]), y: tf.tensor1d(y) };
}

/** Multiplies conv0's kernel by `scale` so the model takes features `scale` times smaller inputs would have had. */
export function foldInputScale(model: tf.LayersModel, scale: number): void {
  const conv0 = model.getLayer('conv0');
  const [kernel, ...rest] = conv0.getWeights();
  const scaled = kernel.mul(scale);
  conv0.setWeights([scaled, ...rest]);
  scaled.dispose();
}

export function predictClasses(model: tf.LayersModel, set: FeatureSet, batchSize = 128, scale = 1): Int32Array {
  const n = set.y.length;
  const out = new Int32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    const classes = tf.tidy(() => {
      const { x } = batchTensors(set, idx, scale);
      return (model.predict(x) as tf.Tensor).argMax(-1).dataSync();
    });
    out.set(classes, start);
  }
  return out;
}

export function evaluate(model: tf.LayersModel, set: FeatureSet, scale = 1): Evaluation {
  return evaluatePredictions(set.y, predictClasses(model, set, 128, scale), LABELS.length);
}

export interface TrainResult {
  model: tf.LayersModel;
  /** Float validation accuracy after float training (of the starting model when it ran no epochs). */
  bestValAccuracy: number;
  epochsRun: number;
  steps: number;
  qat?: QuantizationAwareResult;
}

export async function trainKws(o: TrainOptions): Promise<TrainResult> {
  const rng = new SeededRandom(o.seed);
  const channels = o.from ? dsCnnChannels(o.from) : o.channels ?? DEFAULT_DS_CNN.channels;
  const model = buildDsCnn({ ...DEFAULT_DS_CNN, channels, classes: LABELS.length, seed: o.seed });
  if (o.from) {
    model.setWeights(o.from.getWeights());
    foldInputScale(model, 1 / TRAINING_INPUT_SCALE); // back to the training-time input scale
  }
  const optimizer = tf.train.adam(o.learningRate);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const n = o.train.y.length;
  const stepsPerEpoch = Math.ceil(n / o.batchSize);
  const started = Date.now();
  let best = -1;
  let bestWeights: tf.Tensor[] | null = null;
  let steps = 0;
  let epoch = 0;
  let valAcc: number | null = null;
  outer: for (; epoch < o.epochs; epoch++) {
    // Cosine decay over the planned epochs: big steps first, fine ones at the end.
    (optimizer as unknown as { learningRate: number }).learningRate = o.learningRate * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * epoch) / o.epochs)));
    const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    for (let s = 0; s < stepsPerEpoch; s++) {
      const { x, y } = batchTensors(o.train, order.slice(s * o.batchSize, (s + 1) * o.batchSize), TRAINING_INPUT_SCALE);
      const [loss, acc] = (await model.trainOnBatch(x, y)) as number[];
      x.dispose();
      y.dispose();
      steps++;
      o.onStep?.({ epoch, step: s + 1, stepsPerEpoch, loss, acc, valAcc });
      // trainOnBatch settles in microtasks: yield to the event loop so the progress bar's timer can redraw.
      await new Promise((resolve) => setImmediate(resolve));
      if ((o.maxSteps !== undefined && steps >= o.maxSteps) || (Date.now() - started) / 1000 > o.maxSeconds) {
        epoch++;
        break outer;
      }
    }
    valAcc = evaluate(model, o.val, TRAINING_INPUT_SCALE).accuracy;
    if (valAcc > best) {
      best = valAcc;
      bestWeights?.forEach((t) => t.dispose());
      bestWeights = model.getWeights().map((t) => t.clone());
    }
  }
  // A run cut short mid-epoch still gets its final weights judged.
  const finalVal = evaluate(model, o.val, TRAINING_INPUT_SCALE).accuracy;
  if (finalVal >= best || !bestWeights) best = finalVal;
  else model.setWeights(bestWeights);
  bestWeights?.forEach((t) => t.dispose());
  optimizer.dispose();
  let qat: QuantizationAwareResult | undefined;
  if (o.qat && o.qat.epochs > 0) {
    // The float phase's last epochs leave decisions that int8 rounding flips; a few epochs with the rounding in the
    // forward pass lift the int8 model's accuracy (examples/kws/README.md has the figures).
    qat = await fineTuneQuantizationAware(model, {
      train: o.train, val: o.val, calibration: o.qat.calibration, epochs: o.qat.epochs, batchSize: o.batchSize,
      learningRate: o.qat.learningRate, seed: o.seed, inputScale: TRAINING_INPUT_SCALE,
      ...(o.qat.softmaxHeadroom !== undefined ? { softmaxHeadroom: o.qat.softmaxHeadroom } : {}),
      ...(o.qat.maxSteps !== undefined ? { maxSteps: o.qat.maxSteps } : {}),
      ...(o.qat.onStep ? { onStep: o.qat.onStep } : {}),
    });
  }
  foldInputScale(model, TRAINING_INPUT_SCALE);
  return { model, bestValAccuracy: best, epochsRun: epoch, steps, ...(qat ? { qat } : {}) };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: DEFAULT_DATA },
      out: { type: 'string', default: DEFAULT_MODEL_DIR },
      minutes: { type: 'string', default: '18' },
      epochs: { type: 'string', default: '8' },
      batch: { type: 'string', default: '32' },
      seed: { type: 'string', default: '8' },
      channels: { type: 'string', default: String(DEFAULT_DS_CNN.channels) },
      lr: { type: 'string', default: '0.003' },
      steps: { type: 'string' },
      from: { type: 'string' },
      'qat-epochs': { type: 'string', default: '4' },
      'qat-lr': { type: 'string', default: '0.0001' },
    },
  });
  const num = (name: keyof typeof values, min: number) => {
    const v = Number(values[name]);
    if (!Number.isFinite(v) || v < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${values[name]}"`);
    return v;
  };
  const minutes = num('minutes', 0.1), batchSize = num('batch', 1), seed = num('seed', 0), lr = num('lr', 0);
  const epochs = num('epochs', values.from ? 0 : 1), qatEpochs = num('qat-epochs', 0), qatLr = num('qat-lr', 0);
  const maxSteps = values.steps === undefined ? undefined : num('steps', 1);
  const channels = num('channels', 1);
  if (!Number.isInteger(channels)) throw new Error(`--channels must be a whole number, got "${values.channels}"`);
  const from = values.from ? await loadLayersModel(values.from) : undefined;
  const dataDir = values.data!;
  if (!existsSync(join(dataDir, 'manifest.json'))) {
    // A fresh clone: synthesize the data set first (~3 minutes; espeak-ng is installed if missing).
    console.log(`no data set in ${relative(process.cwd(), dataDir)}: generating it with espeak-ng (seed ${DEFAULT_SEED})…`);
    generateDataset({ outDir: dataDir, seed: DEFAULT_SEED, perVoice: DEFAULT_PER_VOICE, extraTestPerVoice: DEFAULT_EXTRA_TEST_PER_VOICE });
  }
  const manifest = readManifest(dataDir);
  await useCpuWithFastGradients();
  console.log(`computing MFCC features of ${manifest.clips.length} clips from ${relative(process.cwd(), dataDir)}…`);
  const split = (s: string) => loadFeatures(dataDir, manifest.clips.filter((c) => c.split === s));
  const train = split('train'), val = split('val'), test = split('test');
  const calibration = loadFeatures(dataDir, calibrationClips(manifest.clips));
  console.log(`train ${train.y.length}, val ${val.y.length}, test ${test.y.length} clips; ` +
    `${from ? `starting from ${values.from}; ` : ''}training ≤ ${epochs} epochs or ${minutes} min${maxSteps ? ` or ${maxSteps} steps` : ''}, then ${qatEpochs} quantization-aware epochs`);
  const bar = new cliProgress.SingleBar(
    { format: 'epoch {epoch} [{bar}] {value}/{total} | loss {loss} acc {acc} | val {val} | {duration_formatted}', noTTYOutput: true, notTTYSchedule: 10_000 },
    cliProgress.Presets.shades_classic,
  );
  let barEpoch = '';
  const show = (epoch: string, step: number, total: number, payload: object) => {
    if (epoch !== barEpoch) {
      if (barEpoch) bar.stop();
      bar.start(total, 0, payload);
      barEpoch = epoch;
    }
    bar.update(step, payload);
  };
  const { model, bestValAccuracy, epochsRun, steps, qat } = await trainKws({
    train, val, epochs, batchSize, seed, maxSeconds: minutes * 60, learningRate: lr,
    channels,
    ...(maxSteps ? { maxSteps } : {}),
    ...(from ? { from } : {}),
    qat: {
      epochs: qatEpochs, learningRate: qatLr, calibration, softmaxHeadroom: KWS_SOFTMAX_HEADROOM,
      onStep: (p) => show(`qat ${p.epoch + 1}/${qatEpochs}`, p.step, p.stepsPerEpoch,
        { epoch: `qat ${p.epoch + 1}/${qatEpochs}`, loss: p.loss.toFixed(3), acc: '-', val: p.valAcc === null ? '-' : `${p.valAcc.toFixed(3)} (int8 est.)` }),
    },
    onStep: (p) => show(`${p.epoch + 1}/${epochs}`, p.step, p.stepsPerEpoch,
      { epoch: `${p.epoch + 1}/${epochs}`, loss: p.loss.toFixed(3), acc: p.acc.toFixed(3), val: p.valAcc === null ? '-' : p.valAcc.toFixed(3) }),
  });
  bar.stop();
  const testEval = evaluate(model, test);
  await saveLayersModel(model, values.out!);
  writeFileSync(join(values.out!, 'labels.txt'), LABELS.join('\n') + '\n');
  const metrics = {
    command: ['npm run train:kws --', ...process.argv.slice(2)].join(' '),
    epochs: epochsRun, steps, batchSize, seed, channels: dsCnnChannels(model), params: model.countParams(),
    ...(from ? { startedFrom: values.from } : {}),
    floatPhaseValAccuracy: bestValAccuracy,
    quantizationAware: qat ? { epochs: qat.epochsRun, steps: qat.steps, learningRate: qatLr, valInt8EstimateBefore: qat.valBefore, valInt8EstimateAfter: qat.valAfter } : null,
    valAccuracy: evaluate(model, val).accuracy, testAccuracy: testEval.accuracy, testClips: test.y.length,
    labels: LABELS, testConfusion: testEval.confusion, dataSeed: manifest.seed,
  };
  writeFileSync(join(values.out!, 'metrics.json'), JSON.stringify(metrics, null, 1) + '\n');
  console.log(`saved ${relative(process.cwd(), values.out!)}/model.json (${model.countParams()} parameters) after ${epochsRun} epochs, ${steps} steps`);
  console.log(`validation accuracy ${(metrics.valAccuracy * 100).toFixed(1)}%, test accuracy ${(testEval.accuracy * 100).toFixed(1)}% (${test.y.length} clips, unseen voices)`);
  console.log(formatConfusion(testEval, LABELS));
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`train:kws: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
