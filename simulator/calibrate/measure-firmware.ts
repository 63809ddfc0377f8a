// Measures tinyforge's own firmware for a model under QEMU: instructions per kernel call (TCG plugin),
// stack used by one inference, and the ELF's section and symbol sizes. These are the figures the
// 'tinyforge' kernel profile is calibrated on, and what tests compare the simulator's accounting with.
import { execFileSync } from 'node:child_process';
import type { CompiledModel } from '../../compiler/compile-model.ts';
import type { BlobModel } from '../../runtime-as/host/read-blob.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { buildModelFirmware } from '../../targets/firmware/model-firmware.ts';
import type { SectionSizes } from '../../targets/firmware/section-sizes.ts';
import { parseInstructionLog } from '../../targets/qemu/instruction-counts.ts';
import { runQemu } from '../../targets/qemu/run-qemu.ts';
import { COMMAND, encodeRequest, parseResponses } from '../../targets/qemu/serial-frames.ts';
import { zeroPointInput } from '../simulate.ts';

export interface FirmwareMeasurement {
  target: string;
  /** Instructions per kernel call of one inference, in execution order. */
  stepInstructions: number[];
  totalInstructions: number;
  /** Stack bytes one inference used, as the firmware measured it (painted stack). */
  stackUsed: number;
  sections: SectionSizes;
  /** Function sizes in .text by name. */
  functions: Map<string, number>;
}

export class FirmwareMeasurementError extends Error {
  override name = 'FirmwareMeasurementError';
}

export async function measureFirmware(compiled: CompiledModel, blob: BlobModel, outDir: string, targetId = 'qemu-mps2-an386'): Promise<FirmwareMeasurement> {
  const target = firmwareTarget(targetId);
  const inputParts = zeroPointInput(blob);
  const input = new Uint8Array(inputParts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of inputParts) {
    input.set(p, at);
    at += p.length;
  }
  const outputs = Runtime.create(blob).invoke(inputParts);
  const expected = new Uint8Array(outputs.reduce((n, o) => n + o.length, 0));
  at = 0;
  for (const o of outputs) {
    expected.set(o, at);
    at += o.length;
  }
  const fw = await buildModelFirmware(compiled, { target, outDir, selftest: [{ input, expected }], profile: true });
  const serialInput = new Uint8Array([...encodeRequest(COMMAND.invoke, input), ...encodeRequest(COMMAND.quit, new Uint8Array([0]))]);
  const run = await runQemu({ target, elf: fw.image.elf, serialInput, markers: fw.image.markers, timeoutMs: 300_000 });
  if (run.exitCode !== 0) {
    throw new FirmwareMeasurementError(`${targetId}: firmware exited with ${run.exitCode}: ${Buffer.from(run.serialOutput).toString('latin1').slice(0, 300)}`);
  }
  const { responses } = parseResponses(run.serialOutput, 'TF-READY\n');
  const invokeAnswer = responses[0];
  if (!invokeAnswer || invokeAnswer.status !== 0) throw new FirmwareMeasurementError(`${targetId}: the INVOKE request failed`);
  const stackUsed = new DataView(invokeAnswer.payload.buffer, invokeAnswer.payload.byteOffset).getUint32(4, true);
  // Invocations: the self-test's first, then the INVOKE request's.
  const counts = parseInstructionLog(run.instructionLog ?? '');
  const last = counts[counts.length - 1];
  if (!last || last.steps.length !== blob.steps.length) {
    throw new FirmwareMeasurementError(`${targetId}: expected ${blob.steps.length} kernel calls in the instruction log, got ${last?.steps.length ?? 0}`);
  }
  const functions = new Map<string, number>();
  const nm = execFileSync(fw.image.toolchain.nm, ['-S', '-t', 'd', fw.image.elf], { encoding: 'utf8' });
  for (const line of nm.split('\n')) {
    const m = /^\d+ (\d+) [tT] (\S+)$/.exec(line.trim());
    if (m) functions.set(m[2], Number(m[1]));
  }
  return { target: targetId, stepInstructions: last.steps, totalInstructions: last.instructions, stackUsed, sections: fw.image.sizes, functions };
}
