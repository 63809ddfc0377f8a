// Float vs int8 accuracy of the bundled keyword model on the synthetic test split (unseen voices), with both
// confusion matrices. The int8 model is compiled in process and run in the WASM runtime on the float features
// quantized with its input scale and zero point.
//
//   npx tsx examples/kws/evaluate.ts [--model DIR] [--estimator minmax|moving-average|percentile] [--per-tensor]
//                                    [--softmax-headroom 16 | --no-softmax-headroom] [--json]
// --model: a model directory as train:kws and export-features leave it (default: the bundled model/).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { EstimatorName } from '../../compiler/calibrate/range-estimators.ts';
import { quantizeFloat32ToInt8 } from '../../compiler/input-data/quantize-input.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { argmax, compileKwsModel, floatScores, int8Scores, loadTestSplit, type KwsCompileOptions } from './kws-model.ts';
import { evaluatePredictions, formatConfusion, type Evaluation } from './training/confusion-matrix.ts';

export interface KwsEvaluation {
  samples: number;
  labels: string[];
  float: Evaluation;
  int8: Evaluation;
  /** Test clips on which the two models predict the same class. */
  agreement: number;
}

export async function evaluateKws(options: KwsCompileOptions = {}): Promise<KwsEvaluation> {
  const model = await compileKwsModel(options);
  const { x, y } = loadTestSplit(options.modelDir);
  const floatPred = floatScores(model.floatGraph, x.values, x.samples).map(argmax);
  const runtime = Runtime.create(model.blob);
  const int8Pred: number[] = [];
  for (let s = 0; s < x.samples; s++) {
    const q = quantizeFloat32ToInt8(x.values.subarray(s * x.sampleSize, (s + 1) * x.sampleSize), model.inputScale, model.inputZeroPoint);
    int8Pred.push(argmax(int8Scores(runtime, new Int8Array(q.buffer))));
  }
  const classes = model.labels.length;
  return {
    samples: x.samples,
    labels: model.labels,
    float: evaluatePredictions(y, floatPred, classes),
    int8: evaluatePredictions(y, int8Pred, classes),
    agreement: floatPred.filter((p, i) => p === int8Pred[i]).length / x.samples,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function formatEvaluation(e: KwsEvaluation): string {
  return [
    `test split: ${e.samples} clips of unseen voices`,
    `float accuracy ${pct(e.float.accuracy)}, int8 accuracy ${pct(e.int8.accuracy)} (gap ${((e.float.accuracy - e.int8.accuracy) * 100).toFixed(1)} points); int8 and float agree on ${pct(e.agreement)}`,
    '',
    'int8 confusion matrix (rows: true, columns: predicted)',
    formatConfusion(e.int8, e.labels),
    '',
    'float confusion matrix',
    formatConfusion(e.float, e.labels),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      estimator: { type: 'string', default: 'minmax' },
      'per-tensor': { type: 'boolean', default: false },
      'softmax-headroom': { type: 'string' },
      'no-softmax-headroom': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const headroom = values['softmax-headroom'] === undefined ? undefined : Number(values['softmax-headroom']);
  if (headroom !== undefined && !(headroom > 0)) {
    console.error(`evaluate: --softmax-headroom must be a positive number, got "${values['softmax-headroom']}"`);
    process.exit(64);
  }
  if (!['minmax', 'moving-average', 'percentile'].includes(values.estimator!)) {
    console.error(`evaluate: --estimator ${values.estimator} is not one of minmax, moving-average, percentile`);
    process.exit(64);
  }
  try {
    const e = await evaluateKws({
      estimator: values.estimator as EstimatorName, perTensor: values['per-tensor'],
      ...(values.model ? { modelDir: values.model } : {}),
      ...(values['no-softmax-headroom'] ? { softmaxHeadroom: null } : headroom !== undefined ? { softmaxHeadroom: headroom } : {}),
    });
    console.log(values.json ? JSON.stringify(e, null, 1) : formatEvaluation(e));
  } catch (err) {
    console.error(`evaluate: ${(err as Error).message}`);
    process.exit(1);
  }
}
