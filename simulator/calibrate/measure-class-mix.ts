// Measures what the kernels of a model execute, by instruction class, under QEMU (the TCG plugin's classes=1):
// each kernel call's class counts, summed per kernel cost class (simulator/cost/kernel-class.ts). These sums are
// what simulator/cost/class-mix.json holds and the simulator turns into cycles with each core's table;
// `npm run profiles:classes` (bench/class-profiles.ts) regenerates that file from the corpus.
import type { CompiledModel } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { readBlob } from '../../runtime-as/host/read-blob.ts';
import type { InstructionClasses } from '../../targets/qemu/instruction-counts.ts';
import { runOnQemu, type QemuBoard } from '../../targets/qemu/run-on-qemu.ts';
import { SUM_FIELDS_LIST } from '../cost/class-sum-fields.ts';
import { simModel } from '../sim-model.ts';
import { zeroPointInput } from '../simulate.ts';

/** One kernel class's calls in one model: how many, their instructions, and those split by class. */
export interface ClassSums extends InstructionClasses {
  calls: number;
  instructions: number;
}

const SUM_FIELDS = SUM_FIELDS_LIST;

export function emptySums(): ClassSums {
  return Object.fromEntries(SUM_FIELDS.map((f) => [f, 0])) as unknown as ClassSums;
}

/** Per kernel class, the summed counts of one inference on the zero-point input (deterministic). */
export async function measureClassMix(compiled: CompiledModel, board: QemuBoard, cpuFlags?: string[], machine?: string): Promise<Record<string, ClassSums>> {
  const blob = readBlob(writeBlob(compiled));
  const parts = zeroPointInput(blob);
  const input = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    input.set(p, at);
    at += p.length;
  }
  const run = await runOnQemu(compiled, { board, inputs: [input], count: true, classes: true, timeoutMs: 300_000, ...(cpuFlags ? { cpuFlags } : {}), ...(machine ? { machine } : {}) });
  const ops = run.counts![0]!.ops;
  const steps = simModel(blob, compiled).steps;
  if (steps.length !== ops.length) throw new Error(`${compiled.graph.name ?? 'model'}: ${ops.length} kernel calls counted, ${steps.length} in the blob`);
  const sums: Record<string, ClassSums> = {};
  ops.forEach((o, i) => {
    const s = (sums[steps[i]!.kernelClass] ??= emptySums());
    s.calls += 1;
    s.instructions += o.instructions;
    for (const f of SUM_FIELDS.slice(2) as (keyof InstructionClasses)[]) s[f] += o.classes![f];
  });
  return Object.fromEntries(Object.entries(sums).sort(([a], [b]) => a.localeCompare(b)));
}
