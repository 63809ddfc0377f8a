// Range estimators: how the values one tensor took over the calibration samples become the
// [min, max] its int8 scale and zero point are derived from.
//   minmax          the extremes over all samples (TensorFlow's converter does this)
//   moving-average  exponential moving average of each sample's extremes (momentum 0.9): one
//                   outlier sample moves the range less
//   percentile      the p-th and (100−p)-th percentiles of a deterministic reservoir sample of the
//                   values (p = 99.99 by default): clips rare extreme values for a finer scale
export type EstimatorName = 'minmax' | 'moving-average' | 'percentile';
export const ESTIMATORS: readonly EstimatorName[] = ['minmax', 'moving-average', 'percentile'];

export interface Range {
  min: number;
  max: number;
}

export interface RangeCollector {
  /** `values` holds `samples` samples back to back. */
  observe(values: Float32Array, samples: number): void;
  range(): Range;
}

export interface EstimatorOptions {
  /** Percentile kept by the percentile estimator (default 99.99). */
  percentile?: number;
  /** Moving-average momentum (default 0.9). */
  momentum?: number;
}

export function createCollector(name: EstimatorName, opts: EstimatorOptions = {}): RangeCollector {
  switch (name) {
    case 'minmax': return new MinMax();
    case 'moving-average': return new MovingAverage(opts.momentum ?? 0.9);
    case 'percentile': return new Percentile(opts.percentile ?? 99.99);
  }
}

function extremes(v: Float32Array, from: number, to: number): Range {
  let min = Infinity;
  let max = -Infinity;
  for (let i = from; i < to; i++) {
    const x = v[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { min, max };
}

class MinMax implements RangeCollector {
  private r: Range = { min: Infinity, max: -Infinity };
  observe(values: Float32Array): void {
    const e = extremes(values, 0, values.length);
    this.r = { min: Math.min(this.r.min, e.min), max: Math.max(this.r.max, e.max) };
  }
  range(): Range { return this.r; }
}

class MovingAverage implements RangeCollector {
  private r: Range | undefined;
  constructor(private momentum: number) {}
  observe(values: Float32Array, samples: number): void {
    const size = values.length / samples;
    for (let s = 0; s < samples; s++) {
      const e = extremes(values, s * size, (s + 1) * size);
      const m = this.momentum;
      this.r = this.r ? { min: m * this.r.min + (1 - m) * e.min, max: m * this.r.max + (1 - m) * e.max } : e;
    }
  }
  range(): Range { return this.r ?? { min: Infinity, max: -Infinity }; }
}

const RESERVOIR = 1 << 16;

class Percentile implements RangeCollector {
  private kept = new Float32Array(RESERVOIR);
  private seen = 0;
  private rng = 0x9e3779b9;
  constructor(private p: number) {
    if (!(p > 50 && p <= 100)) throw new RangeError(`percentile ${p} must be in (50, 100]`);
  }
  observe(values: Float32Array): void {
    for (let i = 0; i < values.length; i++) {
      if (this.seen < RESERVOIR) {
        this.kept[this.seen] = values[i]!;
      } else {
        const j = this.next() % (this.seen + 1);
        if (j < RESERVOIR) this.kept[j] = values[i]!;
      }
      this.seen++;
    }
  }
  range(): Range {
    const n = Math.min(this.seen, RESERVOIR);
    if (n === 0) return { min: Infinity, max: -Infinity };
    const sorted = this.kept.slice(0, n).sort();
    const at = (q: number) => sorted[Math.min(n - 1, Math.max(0, Math.round((q / 100) * (n - 1))))]!;
    return { min: at(100 - this.p), max: at(this.p) };
  }
  /** xorshift32: deterministic, so a compile is reproducible. */
  private next(): number {
    let x = this.rng;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.rng = x;
    return x;
  }
}
