// Instructions the board spends per one-second window on Cortex-M4 (QEMU mps2-an386, -O2), measured with the
// instruction-count plugin: front end + model on each sample clip, minus the model alone on the same features.
// The mean front-end figure is FRONTEND_M4_INSTRUCTIONS in ../frontend/frontend-cost.ts.
//
//   npx tsx examples/kws/firmware/measure-frontend.ts
// With --classes it re-measures the front end by instruction class on every measured ISA and writes
// simulator/stream/frontend-classes.json (npm run profiles:frontend; -- --check compares instead).
import { fileURLToPath } from 'node:url';
import { runOnQemu, type QemuBoard } from '../../../targets/qemu/run-on-qemu.ts';
import type { InstructionClasses } from '../../../targets/qemu/instruction-counts.ts';
import { emptySums, type ClassSums } from '../../../simulator/calibrate/measure-class-mix.ts';
import { SUM_FIELDS_LIST } from '../../../simulator/cost/class-sum-fields.ts';
import { CLASS_MIX_BUILDS, type ClassMixTarget } from '../../../simulator/cost/class-mix.ts';
import type { FrontendClassesFile } from '../../../simulator/stream/frontend-cost.ts';
import { featureQuantization } from '../../../frontend/fixed-point-format.ts';
import { compileKwsModel } from '../kws-model.ts';
import { runKwsOnQemu } from './run-kws-on-qemu.ts';

export interface FrontendInstructions {
  clips: number;
  /** Front end (with the copy of the audio out of the serial buffer) per window, each clip. */
  frontend: number[];
  model: number;
  mean: number;
}

export async function measureFrontendInstructions(clips: Int16Array[]): Promise<FrontendInstructions> {
  const model = await compileKwsModel();
  const windows = await runKwsOnQemu(model.compiled, featureQuantization(model.inputScale, model.inputZeroPoint), clips, { count: true });
  const alone = await runOnQemu(model.compiled, {
    board: 'qemu-mps2-an386', count: true,
    inputs: windows.map((w) => new Uint8Array(w.features.buffer, w.features.byteOffset, w.features.length)),
  });
  const frontend = windows.map((w, i) => w.instructions! - alone.counts![i]!.instructions);
  return { clips: clips.length, frontend, model: alone.counts![0]!.instructions, mean: frontend.reduce((a, b) => a + b, 0) / frontend.length };
}

/** The front end's share of each window, by class: window (front end + model) minus the model alone on its
 *  features, summed over the clips (`calls`: the number of windows). */
export async function measureFrontendClasses(clips: Int16Array[], build: { board: QemuBoard; cpuFlags?: string[]; machine?: string }): Promise<ClassSums> {
  const model = await compileKwsModel();
  const opts = { board: build.board, count: true, classes: true, timeoutMs: 600_000, ...(build.cpuFlags ? { cpuFlags: build.cpuFlags } : {}), ...(build.machine ? { machine: build.machine } : {}) };
  const windows = await runKwsOnQemu(model.compiled, featureQuantization(model.inputScale, model.inputZeroPoint), clips, opts);
  const alone = await runOnQemu(model.compiled, { ...opts, inputs: windows.map((w) => new Uint8Array(w.features.buffer, w.features.byteOffset, w.features.length)) });
  const sums = emptySums();
  windows.forEach((w, i) => {
    const a = alone.counts![i]!;
    sums.calls += 1;
    sums.instructions += w.instructions! - a.instructions;
    for (const f of SUM_FIELDS_LIST.slice(2) as (keyof InstructionClasses)[]) sums[f] += w.classes![f] - a.classes![f];
  });
  return sums;
}

/** The measured builds the front end is counted on: one per ISA the simulator has a class mix for. */
export const FRONTEND_CLASS_TARGETS = ['qemu-mps2-an386', 'qemu-mps2-an386-plain', 'qemu-mps2-an385-armv6m', 'qemu-riscv32'] as const satisfies readonly ClassMixTarget[];

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { readWav } = await import('../../../frontend/wav.ts');
  const { SAMPLES_DIR } = await import('../demo.ts');
  const clips = readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.wav')).sort()
    .map((f) => readWav(new Uint8Array(readFileSync(join(SAMPLES_DIR, f))), f).samples);
  if (process.argv.includes('--classes')) {
    // Regenerates simulator/stream/frontend-classes.json (deterministic: the same firmware gives the same file).
    const path = join(import.meta.dirname, '..', '..', '..', 'simulator', 'stream', 'frontend-classes.json');
    const file: FrontendClassesFile = JSON.parse(readFileSync(path, 'utf8'));
    for (const t of FRONTEND_CLASS_TARGETS) {
      process.stderr.write(`${t}…\n`);
      file.targets[t] = await measureFrontendClasses(clips, CLASS_MIX_BUILDS[t]);
    }
    const text = `${JSON.stringify(file, null, 1)}\n`;
    if (process.argv.includes('--check')) {
      const same = text === readFileSync(path, 'utf8');
      console.log(same ? 'frontend-classes.json is up to date' : 'frontend-classes.json differs from a fresh measurement');
      process.exit(same ? 0 : 1);
    }
    (await import('node:fs')).writeFileSync(path, text);
    console.log(`wrote ${path}`);
    process.exit(0);
  }
  const m = await measureFrontendInstructions(clips);
  const M = (n: number) => `${(n / 1e6).toFixed(3)} M`;
  console.log(`front end on Cortex-M4: mean ${M(m.mean)} instructions per window over ${m.clips} clips (min ${M(Math.min(...m.frontend))}, max ${M(Math.max(...m.frontend))}); model ${M(m.model)}`);
}
