// The bundled keyword model, quantized by tinyforge's compiler in process: float LayersModel (model/) +
// calibration features → int8 graph, kernel calls, runtime blob; and both models' class predictions.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCalibrationData, type CalibrationData } from '../../compiler/calibrate/calibration-data.ts';
import { FloatExecutor } from '../../compiler/calibrate/float-executor.ts';
import type { EstimatorName } from '../../compiler/calibrate/range-estimators.ts';
import { useFloatBackend } from '../../compiler/calibrate/tfjs-backend.ts';
import { compileGraph, type CompiledModel } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { readNpy } from '../../compiler/input-data/npy.ts';
import type { Graph } from '../../formats/ir/graph.ts';
import { importModel } from '../../compiler/import/import-model.ts';
import { quantizeModel } from '../../compiler/quantize/quantize-model.ts';
import { readBlob, type BlobModel } from '../../runtime-as/host/read-blob.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { readLabels } from '../../simulator/stream/labels-file.ts';
import { KWS_SOFTMAX_HEADROOM } from './softmax-headroom.ts';

export const KWS_MODEL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'model');

export const KWS_MODEL_NAME = 'kws_ds_cnn';

export interface KwsCompileOptions {
  modelDir?: string;
  estimator?: EstimatorName;
  perTensor?: boolean;
  /** Clip the logits' int8 range below their smallest per-clip top minus this (see calibrate.ts); default KWS_SOFTMAX_HEADROOM, null: off. */
  softmaxHeadroom?: number | null;
  onProgress?: (done: number, total: number) => void;
}

export interface CompiledKws {
  floatGraph: Graph;
  int8Graph: Graph;
  compiled: CompiledModel;
  blobBytes: Uint8Array;
  blob: BlobModel;
  labels: string[];
  /** The int8 input's quantization: the front end writes features in it. */
  inputScale: number;
  inputZeroPoint: number;
  calibrationSamples: number;
}

/** Quantizes model/model.json on all of model/calibration-x.npy (no held-back split: the test split measures accuracy). */
export async function compileKwsModel(options: KwsCompileOptions = {}): Promise<CompiledKws> {
  const dir = options.modelDir ?? KWS_MODEL_DIR;
  await useFloatBackend('wasm');
  const imported = importModel(join(dir, 'model.json'));
  // Named for reports and generated C (tf_kws_ds_cnn_invoke) rather than after its file, model.json.
  imported.name = KWS_MODEL_NAME;
  const data = loadCalibrationData(join(dir, 'calibration-x.npy'), imported.tensors[imported.inputs[0]!]!.shape);
  const q = quantizeModel(imported, data, {
    evalSplit: 0,
    estimator: options.estimator ?? 'minmax',
    perTensor: options.perTensor ?? false,
    ...(options.softmaxHeadroom === null ? {} : { softmaxHeadroom: options.softmaxHeadroom ?? KWS_SOFTMAX_HEADROOM }),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const compiled = compileGraph(q.int8Graph);
  const blobBytes = writeBlob(compiled);
  const blob = readBlob(blobBytes);
  const input = blob.inputs[0]!;
  return {
    floatGraph: q.floatGraph, int8Graph: q.int8Graph, compiled, blobBytes, blob,
    labels: readLabels(dir, blob.outputs[0]!.shape.at(-1)!),
    inputScale: input.scale!, inputZeroPoint: input.zeroPoint!, calibrationSamples: q.calibration.samples,
  };
}

/** Float features [n][490] and labels of the synthetic test split (model/test-x.npy, test-y.npy). */
export function loadTestSplit(dir = KWS_MODEL_DIR): { x: CalibrationData; y: Int32Array } {
  const x = loadCalibrationData(join(dir, 'test-x.npy'), [1, 49, 10, 1]);
  const ny = readNpy(new Uint8Array(readFileSync(join(dir, 'test-y.npy'))), 'test-y.npy');
  const y = new Int32Array(ny.data.buffer.slice(ny.data.byteOffset, ny.data.byteOffset + ny.data.byteLength));
  if (y.length !== x.samples) throw new Error(`test-y.npy holds ${y.length} labels for ${x.samples} samples in test-x.npy`);
  return { x, y };
}

export const argmax = (v: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
};

/** Float model class probabilities, [n][classes], run in batches on TensorFlow.js. */
export function floatScores(floatGraph: Graph, values: Float32Array, samples: number, batch = 64): Float32Array[] {
  const exec = new FloatExecutor(floatGraph);
  const size = values.length / samples;
  const out: Float32Array[] = [];
  try {
    for (let s = 0; s < samples; s += batch) {
      const n = Math.min(batch, samples - s);
      const y = exec.run([values.subarray(s * size, (s + n) * size)], n)[0]!;
      const classes = y.length / n;
      for (let k = 0; k < n; k++) out.push(y.slice(k * classes, (k + 1) * classes));
    }
  } finally {
    exec.dispose();
  }
  return out;
}

/** int8 scores of one input in the WASM runtime. */
export function int8Scores(runtime: Runtime, input: Int8Array): Int8Array {
  const [y] = runtime.invoke(new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
  return new Int8Array(y!.buffer, y!.byteOffset, y!.byteLength).slice();
}

/** A probability from an int8 softmax output (scale 1/256, zero point −128). */
export function scoreProbability(blob: BlobModel, q: number): number {
  const o = blob.outputs[0]!;
  return (q - o.zeroPoint!) * o.scale!;
}
