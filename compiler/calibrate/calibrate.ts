// Calibration: runs the float graph over representative samples and records, per activation
// tensor, the range an estimator derives from the values it took.
import type { Graph } from '../../formats/ir/graph.ts';
import { FloatExecutionError, FloatExecutor } from './float-executor.ts';
import type { CalibrationData } from './calibration-samples.ts';
import { createCollector, type EstimatorName, type EstimatorOptions, type Range, type RangeCollector } from './range-estimators.ts';

export interface CalibrateOptions extends EstimatorOptions {
  estimator?: EstimatorName;
  /** Samples per float run (default 32). */
  batchSize?: number;
  /**
   * Lower the range of a tensor read only by SOFTMAX ops to (the smallest per-sample maximum seen) − headroom/beta.
   * A logit that far below its sample's top one weighs e^−headroom in the softmax: nothing at the int8 output's
   * 1/256 step. Min/max alone lets a few very negative logits set the step (0.74 on the keyword model), and logits
   * that round together give equal outputs, where argmax takes the lower class index. Off by default (TFLite's
   * converter uses min/max); 16 is a safe value.
   */
  softmaxHeadroom?: number;
  /** Called after each batch with the number of samples done so far. */
  onProgress?: (done: number, total: number) => void;
}

/** Ranges of every activation tensor (graph inputs and op outputs), by tensor id. */
export function calibrate(graph: Graph, data: CalibrationData, options: CalibrateOptions = {}): Map<number, Range> {
  if (graph.inputs.length !== 1) {
    throw new Error(`calibration takes models with one input; this one has ${graph.inputs.length}`);
  }
  const estimator = options.estimator ?? 'minmax';
  const collectors = new Map<number, RangeCollector>();
  const exec = new FloatExecutor(graph);
  const batchSize = options.batchSize ?? 32;
  const softmaxInputs = options.softmaxHeadroom === undefined ? new Map<number, number>() : softmaxOnlyInputs(graph);
  const smallestRowMax = new Map<number, number>();
  try {
    for (let start = 0; start < data.samples; start += batchSize) {
      const n = Math.min(batchSize, data.samples - start);
      const slice = data.values.subarray(start * data.sampleSize, (start + n) * data.sampleSize);
      exec.run([slice], n, (id, value) => {
        let c = collectors.get(id);
        if (!c) { c = createCollector(estimator, options); collectors.set(id, c); }
        const values = value.dataSync() as Float32Array;
        c.observe(values, n);
        if (softmaxInputs.has(id)) {
          const row = graph.tensors[id]!.shape.at(-1)!;
          let smallest = smallestRowMax.get(id) ?? Infinity;
          for (let r = 0; r < values.length; r += row) {
            let top = -Infinity;
            for (let k = r; k < r + row; k++) if (values[k]! > top) top = values[k]!;
            if (top < smallest) smallest = top;
          }
          smallestRowMax.set(id, smallest);
        }
      });
      options.onProgress?.(start + n, data.samples);
    }
  } finally {
    exec.dispose();
  }
  const ranges = new Map([...collectors].map(([id, c]) => [id, c.range()]));
  for (const [id, beta] of softmaxInputs) {
    const r = ranges.get(id)!;
    const floor = smallestRowMax.get(id)! - options.softmaxHeadroom! / beta;
    if (floor > r.min) ranges.set(id, { min: floor, max: r.max });
  }
  for (const [id, r] of ranges) {
    if (!Number.isFinite(r.min) || !Number.isFinite(r.max)) {
      throw new FloatExecutionError(`tensor ${id} '${graph.tensors[id]!.name}' took values in [${r.min}, ${r.max}] during calibration: ` +
        'the float model overflows or produces NaN on this data; check the calibration inputs are scaled as the model expects');
    }
  }
  return ranges;
}

/** Tensors whose every reader is a SOFTMAX, with that softmax's beta (the smallest, if several). */
function softmaxOnlyInputs(graph: Graph): Map<number, number> {
  const out = new Map<number, number>();
  const other = new Set<number>();
  for (const op of graph.ops) {
    for (const id of op.inputs) {
      if (id < 0) continue;
      if (op.type === 'SOFTMAX') out.set(id, Math.min(out.get(id) ?? Infinity, (op.attrs as { beta: number }).beta));
      else other.add(id);
    }
  }
  for (const id of [...out.keys()]) if (other.has(id) || graph.outputs.includes(id)) out.delete(id);
  return out;
}
