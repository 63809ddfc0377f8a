// npm run bench: every benchmark in one process and one run, printed as tables with ratios,
// and written to bench/results.json.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchModels, benchOverhead, formatModelBench, formatOverhead } from './models.ts';

const here = dirname(fileURLToPath(import.meta.url));
const results: Record<string, unknown> = {};
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? `${(a / b).toFixed(2)}×` : '—');

if (existsSync(join(here, 'conv1x1.ts'))) {
  const { benchConv1x1 } = await import('./conv1x1.ts');
  const k = await benchConv1x1();
  results.kernel = k;
  console.log('\nconv 1×1 int8 kernel (125 px, 64→64), GMAC/s');
  console.log(`  WASM SIMD     ${k.wasmSimd.toFixed(2)}`);
  console.log(`  WASM scalar   ${k.wasmScalar.toFixed(2)}   SIMD/scalar ${ratio(k.wasmSimd, k.wasmScalar)}`);
  console.log(`  TypeScript    ${k.typescript.toFixed(2)}   SIMD/TypeScript ${ratio(k.wasmSimd, k.typescript)}`);
  console.log(`  native C      ${k.nativeC === null ? 'no gcc' : k.nativeC.toFixed(2)}   SIMD/native ${ratio(k.wasmSimd, k.nativeC)}`);
}

if (existsSync(join(here, 'arena.ts'))) {
  const { benchArena, formatArenaBench } = await import('./arena.ts');
  results.arena = benchArena();
  console.log('\narena bytes per model (ratio = tinyforge / TFLite Micro arena_used_bytes)');
  console.log(formatArenaBench(results.arena as ReturnType<typeof benchArena>));
}

const models = await benchModels();
results.models = models;
console.log('\nµs per inference against XNNPACK (tfjs-tflite, WASM SIMD, one thread), alternating in one run: median [p25–p75];');
console.log('ratio = XNNPACK / tinyforge (> 1: tinyforge faster), with the spread of per-round ratios; in place = input view + invokeInPlace()');
console.log('(what run --repeat times), invoke() = outputs copied, against XNNPACK with its output copied; CLI = run --repeat 200 in its own process');
console.log(formatModelBench(models));
const overhead = await benchOverhead();
results.overhead = overhead;
console.log(`\nhello_world_int8 per-invoke overhead (${overhead.steps} kernel steps, ${overhead.invokes} rounds, medians; each figure includes the timer)`);
console.log(formatOverhead(overhead));
const { benchLayers, formatLayers } = await import('./per-layer-xnnpack.ts');
const layers: Record<string, unknown> = {};
for (const [name, m] of Object.entries(models)) {
  if (m.ratio >= 1) continue;
  const l = await benchLayers(name);
  layers[name] = l;
  console.log(`\n${formatLayers(name, l)}`);
}
results.layers = layers;

if (existsSync(join(here, 'flash.ts'))) {
  const { benchFlash } = await import('./flash.ts');
  results.flash = await benchFlash();
  console.log('\nserial flashing');
  console.log(JSON.stringify(results.flash, null, 2));
}

if (existsSync(join(here, 'firmware.ts'))) {
  const { benchFirmware, formatFirmwareBench } = await import('./firmware.ts');
  try {
    const fw = await benchFirmware();
    results.firmware = fw;
    console.log('\nfirmware (instruction counts under QEMU)');
    console.log(formatFirmwareBench(fw));
  } catch (err) {
    console.log(`\nfirmware: skipped (${(err as Error).message})`);
  }
}

writeFileSync(join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');
console.log('\nwritten bench/results.json');
