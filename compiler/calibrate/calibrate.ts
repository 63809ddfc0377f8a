// Calibration: runs the float graph over representative samples and records, per activation
// tensor, the range an estimator derives from the values it took.
import type { Graph } from '../ir/graph.ts';
import { FloatExecutionError, FloatExecutor } from './float-executor.ts';
import type { CalibrationData } from './calibration-data.ts';
import { createCollector, type EstimatorName, type EstimatorOptions, type Range, type RangeCollector } from './range-estimators.ts';

export interface CalibrateOptions extends EstimatorOptions {
  estimator?: EstimatorName;
  /** Samples per float run (default 32). */
  batchSize?: number;
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
  try {
    for (let start = 0; start < data.samples; start += batchSize) {
      const n = Math.min(batchSize, data.samples - start);
      const slice = data.values.subarray(start * data.sampleSize, (start + n) * data.sampleSize);
      exec.run([slice], n, (id, value) => {
        let c = collectors.get(id);
        if (!c) { c = createCollector(estimator, options); collectors.set(id, c); }
        c.observe(value.dataSync() as Float32Array, n);
      });
      options.onProgress?.(start + n, data.samples);
    }
  } finally {
    exec.dispose();
  }
  const ranges = new Map([...collectors].map(([id, c]) => [id, c.range()]));
  for (const [id, r] of ranges) {
    if (!Number.isFinite(r.min) || !Number.isFinite(r.max)) {
      throw new FloatExecutionError(`tensor ${id} '${graph.tensors[id]!.name}' took values in [${r.min}, ${r.max}] during calibration: ` +
        'the float model overflows or produces NaN on this data; check the calibration inputs are scaled as the model expects');
    }
  }
  return ranges;
}
