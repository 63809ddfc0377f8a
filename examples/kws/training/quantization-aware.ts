// Quantization-aware fine-tuning of the DS-CNN: the forward pass rounds what tinyforge's compiler will round — the
// model input onto its int8 grid, each conv/depthwise kernel per output channel onto [−127, 127], the dense kernel
// per tensor, every activation onto its [min, max]/255 grid — and the gradient passes straight through the rounding.
// The weights it leaves are ordinary float weights; the model still saves and compiles as before, but its decisions
// no longer sit on the edge of a rounding step (the float model, trained alone, lost 2.4 points when quantized).
//
// Ranges mirror the compiler's min/max calibration: the input's and every activation's min/max over the calibration
// clips through the float model, recomputed as the weights move. With `softmaxHeadroom`, the logits' range stops that
// far below the smallest per-clip top logit, as the compiler's calibration does with the same option (calibrate.ts).
import * as tf from '@tensorflow/tfjs';
import { activationParams, type AffineParams } from '../../../compiler/quantize/quantization-params.ts';
import type { FeatureSet } from '../data/dataset.ts';
import { SeededRandom } from '../../../lib/seeded-random.ts';
import { FEATURE_COUNT, MFCC_COEFFICIENTS, NUM_FRAMES } from '../../../frontend/mfcc-config.ts';

/**
 * Rounds half away from zero, as the compiler does (tf.round rounds half to even), and passes the gradient through
 * unchanged (straight-through estimator).
 */
const roundStraightThrough = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.mul(tf.sign(x), tf.floor(tf.add(tf.abs(x), 0.5))),
  gradFunc: (dy: tf.Tensor) => dy,
})) as never) as (x: tf.Tensor) => tf.Tensor;

/** Affine int8 rounding: q = clamp(round(x/s) + zp, −128, 127), back to (q − zp)·s. Zero gradient where clamped. */
export function fakeQuantizeAffine(x: tf.Tensor, p: AffineParams): tf.Tensor {
  return tf.tidy(() => {
    const q = tf.clipByValue(roundStraightThrough(tf.div(x, p.scale)), -128 - p.zeroPoint, 127 - p.zeroPoint);
    return tf.mul(q, p.scale);
  });
}

/**
 * Symmetric int8 weight rounding with one scale per slice of the last axis (conv kernels [kh, kw, in, out],
 * depthwise kernels reshaped to [kh, kw, channels]) or one scale for the tensor: scale = max|w|/127 as the
 * compiler computes it. The scale is taken as a constant: the gradient flows through the rounding only.
 */
export function fakeQuantizeSymmetric(w: tf.Tensor, perChannel: boolean): tf.Tensor {
  return tf.tidy(() => {
    const axes = perChannel ? Array.from({ length: w.rank - 1 }, (_, i) => i) : undefined;
    const maxAbs = tf.max(tf.abs(w), axes);
    const scale = tf.tensor(maxAbs.dataSync().map((m) => (m > 0 ? Math.fround(m / 127) : 1)), maxAbs.shape);
    return tf.mul(tf.clipByValue(roundStraightThrough(tf.div(w, scale)), -127, 127), scale);
  });
}

interface Step {
  kind: 'input' | 'conv' | 'depthwise' | 'pool' | 'dense' | 'dropout' | 'flatten';
  layer: tf.layers.Layer;
}

/** The DS-CNN's layers as a chain of steps this module knows how to run. */
function steps(model: tf.LayersModel): Step[] {
  return model.layers.map((layer) => {
    const cls = layer.getClassName();
    const kind = ({ InputLayer: 'input', Conv2D: 'conv', DepthwiseConv2D: 'depthwise', AveragePooling2D: 'pool', Dense: 'dense', Dropout: 'dropout', Flatten: 'flatten' } as const)[cls as 'Conv2D'];
    if (!kind) throw new Error(`quantization-aware training runs the DS-CNN without batch norm; layer ${layer.name} is a ${cls}`);
    return { kind, layer };
  });
}

export interface QuantizationRanges {
  input: AffineParams;
  /** Output quantization of each conv, depthwise and dense layer, by layer name. */
  outputs: Map<string, AffineParams>;
}

export interface ForwardOptions {
  /** Raw features are multiplied by this before the first layer (the training input scale; 1 once folded). */
  inputScale: number;
  /** Fake-quantize with these ranges; without, the plain float model. */
  ranges?: QuantizationRanges;
  training: boolean;
  /** Seeds dropout when training (reproducible runs). */
  dropoutSeed?: number;
  /** Called with each quantized layer's float output (for range measurement). */
  observe?: (name: string, t: tf.Tensor) => void;
}

/** Logits of raw features [n, 49, 10, 1]: the model's own weights, optionally with int8 rounding inserted. */
export function forward(model: tf.LayersModel, x: tf.Tensor4D, o: ForwardOptions): tf.Tensor2D {
  const q = o.ranges;
  let h: tf.Tensor = q ? fakeQuantizeAffine(x, q.input) : x;
  o.observe?.('input', h);
  h = tf.mul(h, o.inputScale);
  let last: AffineParams | undefined;
  const finishLayer = (name: string, y: tf.Tensor): tf.Tensor => {
    o.observe?.(name, y);
    last = q?.outputs.get(name);
    return last ? fakeQuantizeAffine(y, last) : y;
  };
  for (const { kind, layer } of steps(model)) {
    const cfg = layer.getConfig() as { strides?: number[]; padding?: 'same' | 'valid'; activation?: string; poolSize?: number[]; rate?: number };
    const [kernel, bias] = layer.trainableWeights.map((v) => v.read());
    if (kind === 'conv') {
      const k = q ? fakeQuantizeSymmetric(kernel!, true) : kernel!;
      let y = tf.add(tf.conv2d(h as tf.Tensor4D, k as tf.Tensor4D, cfg.strides as [number, number], cfg.padding!), bias!);
      if (cfg.activation === 'relu') y = tf.relu(y);
      h = finishLayer(layer.name, y);
    } else if (kind === 'depthwise') {
      const [kh, kw, c, m] = kernel!.shape;
      const k = q ? fakeQuantizeSymmetric(kernel!.reshape([kh!, kw!, c! * m!]), true).reshape(kernel!.shape) : kernel!;
      let y = tf.add(tf.depthwiseConv2d(h as tf.Tensor4D, k as tf.Tensor4D, cfg.strides as [number, number], cfg.padding!), bias!);
      if (cfg.activation === 'relu') y = tf.relu(y);
      h = finishLayer(layer.name, y);
    } else if (kind === 'pool') {
      // TFLite's average pool keeps its input's scale and zero point; its output is rounded onto that grid.
      const y = tf.avgPool(h as tf.Tensor4D, cfg.poolSize as [number, number], cfg.strides as [number, number], cfg.padding!);
      h = last ? fakeQuantizeAffine(y, last) : y;
    } else if (kind === 'flatten') {
      h = h.reshape([h.shape[0]!, -1]);
    } else if (kind === 'dropout') {
      if (o.training) h = tf.dropout(h, cfg.rate!, undefined, o.dropoutSeed);
    } else if (kind === 'dense') {
      const k = q ? fakeQuantizeSymmetric(kernel!, false) : kernel!;
      // The softmax is left to the loss; the logits are the FULLY_CONNECTED output the compiler quantizes.
      h = finishLayer(layer.name, tf.add(tf.matMul(h as tf.Tensor2D, k as tf.Tensor2D), bias!));
    }
  }
  return h as tf.Tensor2D;
}

function featureTensor(set: FeatureSet, indices: ArrayLike<number>): tf.Tensor4D {
  const x = new Float32Array(indices.length * FEATURE_COUNT);
  for (let i = 0; i < indices.length; i++) x.set(set.x.subarray(indices[i]! * FEATURE_COUNT, (indices[i]! + 1) * FEATURE_COUNT), i * FEATURE_COUNT);
  return tf.tensor4d(x, [indices.length, NUM_FRAMES, MFCC_COEFFICIENTS, 1]);
}

export interface RangeOptions {
  /** The compiler's softmax headroom (beta 1): the logits' floor is the smallest per-clip top logit minus this. */
  softmaxHeadroom?: number;
}

/** Calibration clips per float run when measuring ranges. */
const RANGE_BATCH = 60;

/** Min/max of the input and of every layer output of the float model over `calibration`, as the compiler measures them. */
export function measureRanges(model: tf.LayersModel, calibration: FeatureSet, inputScale: number, o: RangeOptions = {}): QuantizationRanges {
  const mins = new Map<string, number>();
  const maxs = new Map<string, number>();
  let smallestTop = Infinity;
  for (let s = 0; s < calibration.y.length; s += RANGE_BATCH) {
    tf.tidy(() => {
      const idx = Array.from({ length: Math.min(RANGE_BATCH, calibration.y.length - s) }, (_, i) => s + i);
      forward(model, featureTensor(calibration, idx), {
        inputScale, training: false,
        observe: (name, t) => {
          mins.set(name, Math.min(mins.get(name) ?? Infinity, t.min().dataSync()[0]!));
          maxs.set(name, Math.max(maxs.get(name) ?? -Infinity, t.max().dataSync()[0]!));
          if (name === 'logits' && o.softmaxHeadroom !== undefined) smallestTop = Math.min(smallestTop, t.max(-1).min().dataSync()[0]!);
        },
      });
    });
  }
  if (o.softmaxHeadroom !== undefined) mins.set('logits', Math.max(mins.get('logits')!, smallestTop - o.softmaxHeadroom));
  const params = (name: string) => activationParams({ min: mins.get(name)!, max: maxs.get(name)! });
  return { input: params('input'), outputs: new Map([...mins.keys()].filter((n) => n !== 'input').map((n) => [n, params(n)])) };
}

/** Top-1 accuracy of the fake-quantized model (an estimate of the int8 model's) or, without ranges, the float one. */
export function accuracy(model: tf.LayersModel, set: FeatureSet, inputScale: number, ranges?: QuantizationRanges, batch = 128): number {
  let right = 0;
  for (let s = 0; s < set.y.length; s += batch) {
    const idx = Array.from({ length: Math.min(batch, set.y.length - s) }, (_, i) => s + i);
    const pred = tf.tidy(() => forward(model, featureTensor(set, idx), { inputScale, training: false, ...(ranges ? { ranges } : {}) }).argMax(-1).dataSync());
    idx.forEach((i, k) => (right += pred[k] === set.y[i] ? 1 : 0));
  }
  return right / set.y.length;
}

export interface QuantizationAwareOptions {
  train: FeatureSet;
  val: FeatureSet;
  /** The clips the compiler will calibrate on (its ranges are measured on these). */
  calibration: FeatureSet;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  inputScale: number;
  /** As the compiler will calibrate the logits (see RangeOptions); without: plain min/max. */
  softmaxHeadroom?: number;
  /** Ranges are re-measured every this many steps (and at each epoch's start). */
  rangeEvery?: number;
  maxSteps?: number;
  maxSeconds?: number;
  onStep?: (p: { epoch: number; step: number; stepsPerEpoch: number; loss: number; valAcc: number | null }) => void;
}

export interface QuantizationAwareResult {
  /** Validation accuracy, fake-quantized, before fine-tuning and of the last weights (the ones kept). */
  valBefore: number;
  valAfter: number;
  epochsRun: number;
  steps: number;
}

/**
 * Fine-tunes `model` in place with int8 rounding in the forward pass and keeps the last weights: the cosine schedule
 * ends on settled ones, and the fake-quantized validation estimate moves by about ±0.5 points from epoch to epoch,
 * within its own noise, so picking the best epoch by it would pick noise.
 */
export async function fineTuneQuantizationAware(model: tf.LayersModel, o: QuantizationAwareOptions): Promise<QuantizationAwareResult> {
  const rng = new SeededRandom(o.seed);
  const optimizer = tf.train.adam(o.learningRate);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const n = o.train.y.length;
  const stepsPerEpoch = Math.ceil(n / o.batchSize);
  const rangeEvery = o.rangeEvery ?? 50;
  const rangeOptions: RangeOptions = o.softmaxHeadroom === undefined ? {} : { softmaxHeadroom: o.softmaxHeadroom };
  const started = Date.now();
  let ranges = measureRanges(model, o.calibration, o.inputScale, rangeOptions);
  const valBefore = accuracy(model, o.val, o.inputScale, ranges);
  let steps = 0;
  let epoch = 0;
  let valAcc: number | null = null;
  let cutShort = false;
  outer: for (; epoch < o.epochs; epoch++) {
    (optimizer as unknown as { learningRate: number }).learningRate = o.learningRate * 0.5 * (1 + Math.cos((Math.PI * epoch) / o.epochs));
    const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    for (let s = 0; s < stepsPerEpoch; s++) {
      if (s > 0 && s % rangeEvery === 0) ranges = measureRanges(model, o.calibration, o.inputScale, rangeOptions);
      const idx = order.slice(s * o.batchSize, (s + 1) * o.batchSize);
      const loss = tf.tidy(() => {
        const x = featureTensor(o.train, idx);
        const y = tf.oneHot(tf.tensor1d(idx.map((i) => o.train.y[i]!), 'int32'), model.outputs[0]!.shape[1]!);
        const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(model, x, { inputScale: o.inputScale, ranges, training: true, dropoutSeed: rng.int(0, (1 << 30) - 1) })) as tf.Scalar, true, vars);
        return cost!.dataSync()[0]!;
      });
      steps++;
      o.onStep?.({ epoch, step: s + 1, stepsPerEpoch, loss, valAcc });
      await new Promise((resolve) => setImmediate(resolve)); // let the progress bar's timer redraw
      if ((o.maxSteps !== undefined && steps >= o.maxSteps) || (o.maxSeconds !== undefined && (Date.now() - started) / 1000 > o.maxSeconds)) {
        epoch++;
        cutShort = true;
        break outer;
      }
    }
    ranges = measureRanges(model, o.calibration, o.inputScale, rangeOptions);
    valAcc = accuracy(model, o.val, o.inputScale, ranges);
  }
  // A run cut short mid-epoch (or one of no epochs) has not had its last weights judged.
  const valAfter = cutShort || valAcc === null ? accuracy(model, o.val, o.inputScale, measureRanges(model, o.calibration, o.inputScale, rangeOptions)) : valAcc;
  optimizer.dispose();
  return { valBefore, valAfter, epochsRun: epoch, steps };
}
