// How far the int8 model is from the float one on held-back samples: top-1 agreement (or, for a
// single-output regression model, the error in output units), and per layer the SQNR
// 10·log10(Σ float² / Σ (int8 − float)²) and the largest absolute error, worst layers named.
import type { Graph } from '../../formats/ir/graph.ts';
import { FloatExecutor } from '../calibrate/float-executor.ts';
import type { CalibrationData } from '../calibrate/calibration-samples.ts';
import { Int8ReferenceRun } from './int8-reference-run.ts';

export interface LayerError {
  tensor: number;
  name: string;
  op: string;
  sqnrDb: number;
  maxAbsError: number;
  /** The int8 tensor's quantization: one step is `scale` in float units. */
  scale: number;
  zeroPoint: number;
}

export interface QuantReport {
  model: string;
  samples: number;
  task: 'classification' | 'regression';
  /** Fraction of samples whose int8 arg-max (first maximum, as argmax does) equals the float arg-max. */
  top1Agreement?: number;
  /**
   * Fraction of samples whose float top class is among the int8 output's maxima: an int8 output
   * that ties two classes (softmax outputs step by 1/256) does not contradict the float model.
   */
  top1AgreementWithTies?: number;
  /** Output error in output units, over all samples and output elements. */
  outputMaxAbsError: number;
  outputMeanAbsError: number;
  layers: LayerError[];
  /** Names of the (up to 3) layers with the lowest SQNR. */
  worstLayers: string[];
}

/**
 * `floatGraph` and `int8Graph` share tensor ids for activations (quantizeGraph keeps them), so
 * each float op output is compared with the same tensor of the int8 model.
 */
export function accuracyReport(floatGraph: Graph, int8Graph: Graph, evaluation: CalibrationData): QuantReport {
  const layerOps = floatGraph.ops.map((op) => ({ id: op.outputs[0]!, op: op.type }));
  const int8 = new Int8ReferenceRun(int8Graph, layerOps.map((l) => l.id));
  const exec = new FloatExecutor(floatGraph);
  const sig = new Float64Array(layerOps.length);
  const noise = new Float64Array(layerOps.length);
  const maxErr = new Float64Array(layerOps.length);
  const outId = floatGraph.outputs[0]!;
  const outSize = floatGraph.tensors[outId]!.shape.slice(1).reduce((a, b) => a * b, 1);
  const task = outSize > 1 ? 'classification' : 'regression';
  let agree = 0;
  let agreeWithTies = 0;
  let outMax = 0;
  let outSum = 0;
  try {
    for (let s = 0; s < evaluation.samples; s++) {
      const x = evaluation.values.subarray(s * evaluation.sampleSize, (s + 1) * evaluation.sampleSize);
      const floats = new Map<number, Float32Array>();
      exec.run([x], 1, (id, v) => floats.set(id, v.dataSync() as Float32Array));
      const q = int8.run(x);
      layerOps.forEach((l, k) => {
        const f = floats.get(l.id)!;
        const d = q.get(l.id)!;
        for (let i = 0; i < f.length; i++) {
          const e = d[i]! - f[i]!;
          sig[k] += f[i]! * f[i]!;
          noise[k] += e * e;
          if (Math.abs(e) > maxErr[k]!) maxErr[k] = Math.abs(e);
        }
      });
      const f = floats.get(outId)!;
      const d = q.get(outId)!;
      for (let i = 0; i < f.length; i++) {
        const e = Math.abs(d[i]! - f[i]!);
        outMax = Math.max(outMax, e);
        outSum += e;
      }
      const top = argmax(f);
      if (top === argmax(d)) agree++;
      if (d[top] === d[argmax(d)]) agreeWithTies++;
    }
  } finally {
    exec.dispose();
  }
  const layers: LayerError[] = layerOps.map((l, k) => ({
    tensor: l.id,
    name: floatGraph.tensors[l.id]!.name || `tensor ${l.id}`,
    op: l.op,
    sqnrDb: noise[k] === 0 ? Infinity : 10 * Math.log10(sig[k]! / noise[k]!),
    maxAbsError: maxErr[k]!,
    scale: int8Graph.tensors[l.id]!.quant?.scale[0] ?? 1,
    zeroPoint: int8Graph.tensors[l.id]!.quant?.zeroPoint[0] ?? 0,
  }));
  const worstLayers = [...layers].sort((a, b) => a.sqnrDb - b.sqnrDb).slice(0, 3).map((l) => l.name);
  return {
    model: floatGraph.name,
    samples: evaluation.samples,
    task,
    ...(task === 'classification' && evaluation.samples > 0
      ? { top1Agreement: agree / evaluation.samples, top1AgreementWithTies: agreeWithTies / evaluation.samples }
      : {}),
    outputMaxAbsError: outMax,
    outputMeanAbsError: evaluation.samples ? outSum / (evaluation.samples * outSize) : 0,
    layers,
    worstLayers,
  };
}

function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}

/** The report as a text table for the terminal. */
export function formatReport(r: QuantReport): string {
  const lines: string[] = [];
  lines.push(`accuracy on ${r.samples} held-back sample(s) of ${r.model}:`);
  if (r.top1Agreement !== undefined) {
    lines.push(`  top-1 agreement int8 vs float: ${(100 * r.top1Agreement).toFixed(1)}% ` +
      `(${(100 * r.top1AgreementWithTies!).toFixed(1)}% counting int8 ties that include the float class)`);
  }
  lines.push(`  output error: max ${fmt(r.outputMaxAbsError)}, mean ${fmt(r.outputMeanAbsError)} (output units)`);
  const short = (n: string) => {
    // TFLite names fuse several source names with ';': the first one names the layer.
    const first = n.split(';')[0]!;
    return first.length > 48 ? `…${first.slice(-47)}` : first;
  };
  const nameW = Math.max(5, ...r.layers.map((l) => short(l.name).length));
  lines.push(`  ${'#'.padStart(3)}  ${'op'.padEnd(18)} ${'layer'.padEnd(nameW)}  ${'SQNR dB'.padStart(8)}  ${'max |err|'.padStart(10)}`);
  r.layers.forEach((l, k) => {
    const mark = r.worstLayers.includes(l.name) ? '  <- worst' : '';
    lines.push(`  ${String(k).padStart(3)}  ${l.op.padEnd(18)} ${short(l.name).padEnd(nameW)}  ${(Number.isFinite(l.sqnrDb) ? l.sqnrDb.toFixed(1) : 'exact').padStart(8)}  ${fmt(l.maxAbsError).padStart(10)}${mark}`);
  });
  return lines.join('\n');
}

function fmt(x: number): string {
  return x === 0 ? '0' : Math.abs(x) >= 0.01 ? x.toFixed(4) : x.toExponential(2);
}
