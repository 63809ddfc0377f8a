// npm run bench:xnnpack: only the per-model comparison with XNNPACK and hello_world's overhead breakdown
// (the part of `npm run bench` that issue 19 item 1 is judged on), without the kernel, flash and firmware benches.
import { benchModels, benchOverhead, formatModelBench, formatOverhead } from './models.ts';
import { benchLayers, formatLayers, type LayerTimes } from './per-layer-xnnpack.ts';

// `-- --model NAME` (repeatable) times only those models; `--budget MS` sets each model's time budget.
const cli = !process.argv.includes('--no-cli');
const argValues = (flag: string) => process.argv.flatMap((a, i) => (a === flag && process.argv[i + 1] ? [process.argv[i + 1]!] : []));
const only = argValues('--model');
const budget = argValues('--budget').map(Number)[0];
const models = await benchModels({ cli, ...(only.length ? { models: only } : {}), ...(budget ? { budgetMs: budget } : {}) });
console.log('µs per inference against XNNPACK, alternating in one run: median [p25–p75]; ratio = XNNPACK / tinyforge');
console.log(formatModelBench(models));
const overhead = await benchOverhead();
console.log(`\nhello_world_int8 per-invoke overhead (${overhead.steps} kernel steps, medians; each figure includes the timer)`);
console.log(formatOverhead(overhead));
// Where a model is behind, which layers are (each cut out as a one-op model and timed alike).
const layers: Record<string, LayerTimes[]> = {};
for (const [name, m] of Object.entries(models)) {
  if (m.ratio >= 1 || process.argv.includes('--no-layers')) continue;
  layers[name] = await benchLayers(name);
  console.log(`\n${formatLayers(name, layers[name])}`);
}
if (process.argv.includes('--json')) console.log(JSON.stringify({ models, overhead, layers }, null, 2));
