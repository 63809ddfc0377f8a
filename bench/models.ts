// Milliseconds per inference for each corpus model: tinyforge's WASM runtime (SIMD and scalar builds)
// and the XNNPACK-backed TFLite interpreter, all in this one process.
import { compileTflite } from '../compiler/compile-model.ts';
import { Runtime } from '../runtime-as/host/runtime.ts';
import { corpusModelNames, goldenCases, readMeta, readModel } from '../tests/conformance-corpus.ts';
import { loadXnnpackModel } from '../tests/reference/xnnpack-interpreter.ts';
import { writeBlob } from '../compiler/emit/blob/write-blob.ts';

export interface ModelTimes {
  simdMs: number;
  scalarMs: number;
  xnnpackMs: number | null;
}

/** Median of repeated runs, each repeated until ~budgetMs has passed. */
export function medianMs(fn: () => void, budgetMs = 400): number {
  fn(); // warm up (JIT, caches)
  const times: number[] = [];
  const start = performance.now();
  while (performance.now() - start < budgetMs || times.length < 5) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function benchModels(): Promise<Record<string, ModelTimes>> {
  const results: Record<string, ModelTimes> = {};
  for (const name of corpusModelNames()) {
    if (readMeta(name).cases.length === 0) continue;
    const bytes = readModel(name);
    const input = goldenCases(name)[0].input;
    const compiled = compileTflite(bytes, name);
    const simd = Runtime.create(writeBlob(compiled), { variant: 'simd' });
    const scalar = Runtime.create(writeBlob(compiled), { variant: 'scalar' });
    let xnnpackMs: number | null = null;
    try {
      const x = await loadXnnpackModel(bytes);
      xnnpackMs = medianMs(() => x.invoke([input]));
      x.close();
    } catch (err) {
      console.error(`XNNPACK interpreter on ${name}: ${(err as Error).message}`);
      xnnpackMs = null;
    }
    results[name] = {
      simdMs: medianMs(() => simd.invoke(input)),
      scalarMs: medianMs(() => scalar.invoke(input)),
      xnnpackMs,
    };
  }
  return results;
}
