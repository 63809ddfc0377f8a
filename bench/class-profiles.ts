// Regenerates simulator/cost/class-mix.json: every corpus model's kernel calls run once under QEMU with the
// instruction-class plugin, on qemu-mps2-an386 (Thumb-2, the Cortex-M kernels: the DSP path), mps2-an385 (the same
// kernels built for Cortex-M3, their plain C path, and for Cortex-M0+, Armv6-M) and qemu-riscv32 (RV32IMC, the
// ESP32-C3 kernels); per model and kernel class the summed class counts. Deterministic: the same firmware gives
// the same file byte for byte (tests/simulator/class-mix.test.ts re-measures one model and compares).
// Re-run after a kernel change (e.g. faster Cortex-M4 kernels):   npm run profiles:classes [-- --check]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileTflite } from '../compiler/compile-model.ts';
import { measureClassMix } from '../simulator/calibrate/measure-class-mix.ts';
import { CLASS_MIX_BUILDS, CLASS_MIX_MODELS, CLASS_MIX_TARGETS, formatClassMixFile, type ClassMixFile } from '../simulator/cost/class-mix.ts';
import { corpusDir } from '../tests/conformance-corpus.ts';

const classMixPath = () => join(import.meta.dirname, '..', 'simulator', 'cost', 'class-mix.json');
const check = process.argv.includes('--check');
const file: ClassMixFile = JSON.parse(readFileSync(classMixPath(), 'utf8'));
for (const target of CLASS_MIX_TARGETS) {
  file.targets[target] = { models: {} };
  for (const name of CLASS_MIX_MODELS) {
    const compiled = compileTflite(new Uint8Array(readFileSync(join(corpusDir(), 'models', `${name}.tflite`))), name);
    process.stderr.write(`${target} ${name}…\n`);
    file.targets[target]!.models[name] = await measureClassMix(compiled, CLASS_MIX_BUILDS[target].board, CLASS_MIX_BUILDS[target].cpuFlags, CLASS_MIX_BUILDS[target].machine);
  }
}
const text = formatClassMixFile(file);
if (check) {
  const same = text === readFileSync(classMixPath(), 'utf8');
  console.log(same ? 'class-mix.json is up to date' : 'class-mix.json differs from a fresh measurement: run npm run profiles:classes');
  process.exit(same ? 0 : 1);
}
writeFileSync(classMixPath(), text);
console.log(`wrote ${classMixPath()}`);
