// Time of one DS-CNN training step (batch 32) on tfjs's cpu backend, stock filter-gradient kernels vs the fast
// ones examples/kws registers, and where the step's time goes.  npx tsx bench/kws-train-step.ts
import * as tf from '@tensorflow/tfjs';
import { buildDsCnn, DEFAULT_DS_CNN } from '../examples/kws/training/ds-cnn.ts';
import { registerFastBackpropFilters, unregisterFastBackpropFilters } from '../examples/kws/training/fast-backprop-filter.ts';

export async function benchKwsTrainStep(steps = 3): Promise<{ stockMs: number; fastMs: number; topKernelsMs: [string, number][] }> {
  await tf.setBackend('cpu');
  const model = buildDsCnn(DEFAULT_DS_CNN);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.randomNormal([32, 49, 10, 1], 0, 1, 'float32', 1);
  const y = tf.randomUniformInt([32], 0, 12, 2).cast('float32');
  const time = async () => {
    await model.trainOnBatch(x, y);
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
    return (performance.now() - t0) / steps;
  };
  const stockMs = await time();
  registerFastBackpropFilters();
  const fastMs = await time();
  const profile = await tf.profile(async () => { await model.trainOnBatch(x, y); });
  const byKernel = new Map<string, number>();
  for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  unregisterFastBackpropFilters();
  return { stockMs, fastMs, topKernelsMs: [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 6) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchKwsTrainStep();
  console.log(`DS-CNN training step, batch 32: stock ${r.stockMs.toFixed(0)} ms, fast filter gradients ${r.fastMs.toFixed(0)} ms (${(r.stockMs / r.fastMs).toFixed(1)}×)`);
  for (const [k, ms] of r.topKernelsMs) console.log(`  ${k.padEnd(28)} ${ms.toFixed(1)} ms`);
}
