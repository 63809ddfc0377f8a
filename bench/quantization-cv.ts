// Post-training quantization choices on kws_ref_model_float32, judged by 5-fold cross-validation over
// the 360 calibration samples (sample i is in fold i mod 5; fold 4 is the held-back split the quantizer
// tests use): calibrate on four folds, compare int8 with float top-1 (first maximum wins, as TFLite's
// ARG_MAX) on the fifth, and pool each layer's SQNR over all folds.
//   npx tsx bench/quantization-cv.ts [technique ...]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Graph } from '../formats/ir/graph.ts';
import { importTflite } from '../compiler/import/import-tflite.ts';
import { loadCalibrationData, type CalibrationData } from '../compiler/calibrate/calibration-data.ts';
import { useFloatBackend } from '../compiler/calibrate/tfjs-backend.ts';
import { FloatExecutor } from '../compiler/calibrate/float-executor.ts';
import { PASSES, runPasses } from '../compiler/passes/pass-list.ts';
import { compactGraph } from '../compiler/ir/compact-graph.ts';
import { calibrate, type CalibrateOptions } from '../compiler/calibrate/calibrate.ts';
import { quantizeGraph, type QuantizeOptions } from '../compiler/quantize/quantize-graph.ts';
import { correctBiases } from '../compiler/quantize/bias-correction.ts';
import { Int8ReferenceRun } from '../compiler/report/int8-reference-run.ts';
import { corpusDir } from '../tests/conformance-corpus.ts';

interface Technique extends QuantizeOptions, CalibrateOptions { biasCorrection: boolean }

const TECHNIQUES: Record<string, Technique> = {
  'minmax': { biasCorrection: false },
  'minmax + bias correction': { biasCorrection: true },
  'moving-average': { biasCorrection: false, estimator: 'moving-average' },
  'percentile 99.99': { biasCorrection: false, estimator: 'percentile', percentile: 99.99 },
  'percentile 99.999': { biasCorrection: false, estimator: 'percentile', percentile: 99.999 },
  'percentile 99.999 + bias correction': { biasCorrection: true, estimator: 'percentile', percentile: 99.999 },
  'per-channel FC': { biasCorrection: false, perChannelFullyConnected: true },
  'per-tensor weights': { biasCorrection: false, perTensor: true },
  'float32 I/O': { biasCorrection: false, io: 'float32' },
};
const FOLDS = 5;

const dir = corpusDir();
const chosen = process.argv.slice(2);
const unknown = chosen.filter((n) => !(n in TECHNIQUES));
if (unknown.length) {
  console.error(`quantization-cv: unknown technique(s) ${unknown.join(', ')}; known: ${Object.keys(TECHNIQUES).join(', ')}`);
  process.exit(2);
}
await useFloatBackend('wasm');
const imported = importTflite(new Uint8Array(readFileSync(join(dir, 'models', 'kws_ref_model_float32.tflite'))), 'kws_ref_model_float32');
const data = loadCalibrationData(join(dir, 'calibration', 'kws_calib_x.npy'), imported.tensors[imported.inputs[0]!]!.shape);
const floatGraph = compactGraph(runPasses(imported, PASSES).graph);
const layers = floatGraph.ops.map((op) => op.outputs[0]!);
const sample = (s: number) => data.values.subarray(s * data.sampleSize, (s + 1) * data.sampleSize);
const floats = floatActivations(floatGraph, layers);

console.log(`${'technique'.padEnd(36)} ${'held-back'.padStart(9)} ${'+ties'.padStart(6)} ${'5-fold'.padStart(7)} ${'+ties'.padStart(6)}  per-fold strict %           layer SQNR dB (pooled over folds)`);
for (const name of chosen.length ? chosen : Object.keys(TECHNIQUES)) {
  const t = TECHNIQUES[name]!;
  const sig = new Float64Array(layers.length);
  const noise = new Float64Array(layers.length);
  const strict: number[] = [];
  const ties: number[] = [];
  for (let f = 0; f < FOLDS; f++) {
    const held = [...Array(data.samples).keys()].filter((i) => i % FOLDS === (f + FOLDS - 1) % FOLDS);
    const cal = pick([...Array(data.samples).keys()].filter((i) => !held.includes(i)));
    let int8 = quantizeGraph(floatGraph, calibrate(floatGraph, cal, t), t);
    if (t.biasCorrection) int8 = correctBiases(floatGraph, int8, cal).graph;
    const run = new Int8ReferenceRun(int8, layers);
    let agree = 0;
    let agreeWithTies = 0;
    for (const s of held) {
      const q = run.run(sample(s));
      layers.forEach((id, k) => {
        const a = floats[s]!.get(id)!;
        const b = q.get(id)!;
        for (let i = 0; i < a.length; i++) { sig[k] += a[i]! ** 2; noise[k] += (b[i]! - a[i]!) ** 2; }
      });
      const out = floatGraph.outputs[0]!;
      const top = argmax(floats[s]!.get(out)!);
      const qOut = q.get(out)!;
      if (argmax(qOut) === top) agree++;
      if (qOut[top] === qOut[argmax(qOut)]) agreeWithTies++;
    }
    strict.push(agree / held.length);
    ties.push(agreeWithTies / held.length);
  }
  const pct = (x: number) => (100 * x).toFixed(1);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const sqnr = layers.map((_, k) => (10 * Math.log10(sig[k]! / noise[k]!)).toFixed(1).padStart(5)).join('');
  console.log(`${name.padEnd(36)} ${pct(strict[0]!).padStart(9)} ${pct(ties[0]!).padStart(6)} ${pct(mean(strict)).padStart(7)} ${pct(mean(ties)).padStart(6)}  ${strict.map(pct).join('/').padEnd(27)} ${sqnr}`);
}

function pick(indices: number[]): CalibrationData {
  const values = new Float32Array(indices.length * data.sampleSize);
  indices.forEach((s, k) => values.set(sample(s), k * data.sampleSize));
  return { values, samples: indices.length, sampleSize: data.sampleSize, source: data.source };
}

/** Every layer's float output for every sample, computed once. */
function floatActivations(graph: Graph, ids: number[]): Map<number, Float32Array>[] {
  const wanted = new Set(ids);
  const exec = new FloatExecutor(graph);
  try {
    return Array.from({ length: data.samples }, (_, s) => {
      const m = new Map<number, Float32Array>();
      exec.run([sample(s)], 1, (id, v) => { if (wanted.has(id)) m.set(id, (v.dataSync() as Float32Array).slice()); });
      return m;
    });
  } finally {
    exec.dispose();
  }
}

function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}
