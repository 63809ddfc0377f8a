// Runs a compiled model on an emulated board: generates and builds the firmware, boots it in QEMU, sends each
// input over the emulated UART with the framed protocol and collects the outputs (and, with `count`, the exact
// instructions executed per inference and per kernel call).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompiledModel } from '../../compiler/compile-model.ts';
import { tensorBytes } from '../../formats/ir/graph.ts';
import type { SelftestVector } from '../../compiler/emit/c/emit-selftest-c.ts';
import { measuredTarget } from '../firmware/firmware-targets.ts';
import { buildModelFirmware } from '../firmware/model-firmware.ts';
import { buildSlotFirmware, slotModel, type SignSlot, type SlotFirmware } from '../firmware/slot-firmware.ts';
import type { SectionSizes } from '../firmware/section-sizes.ts';
import type { FirmwareImage } from '../firmware/build-firmware.ts';
import { parseInstructionLog, type InstructionClasses } from './instruction-counts.ts';
import { runQemu, QemuRunError } from './run-qemu.ts';
import { writeSlotFlashFile } from './slot-flash-file.ts';
import { COMMAND, encodeRequest, parseResponses, STATUS_TEXT } from './serial-frames.ts';
import { flashRegion } from '../firmware/linker-memory.ts';

export const QEMU_BOARDS = ['qemu-mps2-an386', 'qemu-riscv32'] as const;
export type QemuBoard = (typeof QEMU_BOARDS)[number];

export interface QemuInferenceOptions {
  board: QemuBoard;
  /** Code generation in place of the board's own (e.g. Cortex-M3 flags on mps2-an386: the kernels' plain C path). */
  cpuFlags?: string[];
  /** Another QEMU machine with the board's memory map (mps2-an385: the same map and UART, a Cortex-M3 CPU). */
  machine?: string;
  /** One buffer per inference: all model inputs concatenated in graph order. */
  inputs: Uint8Array[];
  /** Count executed instructions (builds the firmware with markers, runs QEMU with the TCG plugin). */
  count?: boolean;
  /** With count: also split each op's instructions by class (loads, stores, multiplies, branches…). */
  classes?: boolean;
  /** Vectors the firmware checks at boot; a failure makes the run fail. */
  selftest?: readonly SelftestVector[];
  /** Run on the slot firmware (code only) with the model in slot A, signed by `sign` for `publicKey`; a prebuilt
   * `firmware` (its key must be `publicKey`) serves every model, as on a device. */
  slots?: { publicKey: Uint8Array; sign: SignSlot; firmware?: SlotFirmware };
  /** Where to build; a temporary folder (removed afterwards) when absent. */
  workDir?: string;
  timeoutMs?: number;
}

export interface OpInstructions {
  /** Kernel call index in execution order. */
  step: number;
  /** IR op index (as `tinyforge inspect` numbers ops). */
  index: number;
  op: string;
  kernel: string;
  macs: number;
  instructions: number;
  /** With `classes`: the same instructions by class, and the loads split between flash and SRAM. */
  classes?: InstructionClasses;
}

export interface QemuInferenceResult {
  outputs: Uint8Array[];
  /** Per inference, when counted (`classes`: the whole inference by class, with the `classes` option). */
  counts?: { instructions: number; ops: OpInstructions[]; classes?: InstructionClasses }[];
  sizes: SectionSizes;
  /** What the firmware printed before serving the protocol (banner, self-test lines). */
  bootText: string;
}

export async function runOnQemu(model: CompiledModel, options: QemuInferenceOptions): Promise<QemuInferenceResult> {
  const target = measuredTarget(options.board, options);
  const inputBytes = model.graph.inputs.reduce((a, id) => a + tensorBytes(model.graph.tensors[id]), 0);
  for (const [i, input] of options.inputs.entries()) {
    if (input.length !== inputBytes) {
      throw new QemuRunError(`input ${i} has ${input.length} bytes; the model takes ${inputBytes} (all inputs concatenated)`);
    }
  }
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'tinyforge-run-'));
  try {
    let image: FirmwareImage;
    let slotFlash: string | undefined;
    if (options.slots) {
      const slotFw = options.slots.firmware ?? await buildSlotFirmware({ target, outDir: join(workDir, 'slot-firmware'), publicKey: options.slots.publicKey, profile: options.count ?? false });
      if (options.count && !slotFw.image.markers) throw new QemuRunError(`${target.id}: counting instructions needs a slot firmware built with profile markers`);
      image = slotFw.image;
      const slot = slotModel(model, options.selftest ?? [], options.slots.sign, target.id, slotFw.arenaBytes);
      mkdirSync(workDir, { recursive: true });
      writeFileSync(join(workDir, 'model-slot-a.bin'), slot.slotImage);
      // The QEMU boards keep their slots in a persistent flash file (slot-flash-file.ts): slot A goes in there.
      slotFlash = join(workDir, 'slot-flash.bin');
      writeSlotFlashFile(target.id, slotFlash, [{ address: slot.address, bytes: slot.slotImage }]);
    } else {
      image = (await buildModelFirmware(model, {
        target,
        outDir: workDir,
        selftest: options.selftest ?? [],
        profile: options.count ?? false,
      })).image;
    }
    const fw = { image };
    const frames = [...options.inputs.map((x) => encodeRequest(COMMAND.invoke, x)), encodeRequest(COMMAND.quit, new Uint8Array([0]))];
    const serialInput = Buffer.concat(frames);
    const run = await runQemu({
      target, elf: fw.image.elf, serialInput, markers: options.count ? fw.image.markers : undefined, timeoutMs: options.timeoutMs, slotFlash,
      ...(options.count && options.classes ? { classes: { flash: flashRegion(target.id) } } : {}),
    });
    const { text, responses } = parseResponses(run.serialOutput, 'TF-READY\n');
    if (!text.includes('TF-READY')) {
      throw new QemuRunError(`${target.id}: the firmware never became ready (exit ${run.exitCode}); it printed: ${JSON.stringify(text.slice(-400))}`);
    }
    if (/FAIL/.test(text)) throw new QemuRunError(`${target.id}: the firmware's self-test failed:\n${text.trim()}`);
    // The answer to the final quit frame is not needed: the exit status says the board got it.
    if (responses.length < options.inputs.length) {
      throw new QemuRunError(`${target.id}: expected ${options.inputs.length} answers from the board, got ${responses.length} (exit ${run.exitCode})`);
    }
    const outputs = responses.slice(0, options.inputs.length).map((r, i) => {
      if (r.status !== 0) {
        throw new QemuRunError(`${target.id}: inference ${i} failed on the board: ${STATUS_TEXT[r.status] ?? `status ${r.status}`}`);
      }
      const stackUsed = new DataView(r.payload.buffer, r.payload.byteOffset).getUint32(4, true);
      if (stackUsed >= fw.image.sizes.stack) {
        throw new QemuRunError(`${target.id}: inference ${i} used ${stackUsed} B of stack, all of the ${fw.image.sizes.stack} B reserved: results cannot be trusted`);
      }
      return r.payload.slice(8); // u32 cycles, u32 stack bytes, then the output tensor
    });
    if (run.exitCode !== 0) throw new QemuRunError(`${target.id}: the firmware exited with status ${run.exitCode}`);
    const result: QemuInferenceResult = { outputs, sizes: fw.image.sizes, bootText: text };
    if (options.count) {
      const invocations = parseInstructionLog(run.instructionLog ?? '').slice(-options.inputs.length);
      if (invocations.length !== options.inputs.length) {
        throw new QemuRunError(`${target.id}: the instruction-count plugin saw ${invocations.length} inferences, expected ${options.inputs.length}`);
      }
      result.counts = invocations.map((inv) => ({
        instructions: inv.instructions,
        ...(inv.classes ? { classes: inv.classes } : {}),
        ops: model.prepared.map((p, step) => ({
          step,
          index: p.opIndex,
          op: model.graph.ops.find((o) => o.index === p.opIndex)?.type ?? '?',
          kernel: p.layout.name,
          macs: p.counters.macs,
          instructions: inv.steps[step],
          ...(inv.stepClasses ? { classes: inv.stepClasses[step] } : {}),
        })),
      }));
    }
    return result;
  } finally {
    if (!options.workDir) rmSync(workDir, { recursive: true, force: true });
  }
}

/** `--count --json` output: `{ "instructions": N, "ops": [{ "index", "op", "macs", "instructions" }] }`. */
export function instructionsJson(count: { instructions: number; ops: OpInstructions[] }) {
  return {
    instructions: count.instructions,
    ops: count.ops.map((o) => ({ index: o.index, op: o.op, macs: o.macs, instructions: o.instructions, ...(o.classes ? { classes: o.classes } : {}) })),
  };
}

/** `--count` text output: one row per kernel call with instructions per MAC where MACs are counted. */
export function formatInstructionTable(count: { instructions: number; ops: OpInstructions[] }): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const rows = count.ops.map(
    (o) =>
      `${String(o.index).padStart(5)}  ${o.op.padEnd(18)} ${o.kernel.padEnd(22)} ${n(o.macs).padStart(10)} ${n(o.instructions).padStart(12)} ${o.macs ? (o.instructions / o.macs).toFixed(2).padStart(8) : ''.padStart(8)}`,
  );
  const macs = count.ops.reduce((a, o) => a + o.macs, 0);
  return [
    `${'op'.padStart(5)}  ${'type'.padEnd(18)} ${'kernel'.padEnd(22)} ${'MACs'.padStart(10)} ${'instructions'.padStart(12)} ${'per MAC'.padStart(8)}`,
    ...rows,
    `total: ${n(count.instructions)} instructions per inference${macs ? `, ${(count.instructions / macs).toFixed(2)} per MAC` : ''}`,
  ].join('\n');
}

/** `--count --classes` text output: each kernel call's instructions by class, and its loads by memory. */
export function formatInstructionClasses(count: { instructions: number; ops: OpInstructions[] }): string {
  const cols: [string, (c: InstructionClasses) => number][] = [
    ['load', (c) => c.load], ['ld-pipe', (c) => c.loadPipelined], ['ld-multi', (c) => c.loadMultiple], ['store', (c) => c.store],
    ['st-multi', (c) => c.storeMultiple], ['mul/mac', (c) => c.mul], ['div', (c) => c.div], ['br-taken', (c) => c.branchTaken],
    ['br-not', (c) => c.branchNotTaken], ['other', (c) => c.other], ['flash ld', (c) => c.flashLoads], ['sram ld', (c) => c.sramLoads],
  ];
  const n = (v: number) => v.toLocaleString('en-US').padStart(10);
  const header = `${'op'.padStart(5)}  ${'kernel'.padEnd(22)}${cols.map(([h]) => h.padStart(10)).join('')}`;
  const rows = count.ops.map((o) => `${String(o.index).padStart(5)}  ${o.kernel.padEnd(22)}${o.classes ? cols.map(([, f]) => n(f(o.classes!))).join('') : ''}`);
  const sum = (f: (c: InstructionClasses) => number) => count.ops.reduce((a, o) => a + (o.classes ? f(o.classes) : 0), 0);
  return [header, ...rows, `${'all'.padStart(5)}  ${''.padEnd(22)}${cols.map(([, f]) => n(sum(f))).join('')}`].join('\n');
}

/**
 * What `tinyforge run <model> --board qemu-… --input x --output y [--count] [--json]` does: one inference on the
 * emulated board. Throws QemuRunError (clear one-line messages) for an unknown board, a wrong input size or a
 * failing firmware.
 */
export async function runModelOnQemu(
  model: CompiledModel,
  board: string,
  input: Uint8Array,
  options: { count?: boolean; classes?: boolean; timeoutMs?: number; slots?: QemuInferenceOptions['slots'] } = {},
): Promise<{ output: Uint8Array; count?: { instructions: number; ops: OpInstructions[] } }> {
  if (!(QEMU_BOARDS as readonly string[]).includes(board)) {
    throw new QemuRunError(`--board ${board}: tinyforge runs models on ${QEMU_BOARDS.join(' and ')}; for real boards use 'tinyforge build' and flash the image`);
  }
  const result = await runOnQemu(model, { board: board as QemuBoard, inputs: [input], count: options.count, classes: options.classes, timeoutMs: options.timeoutMs, slots: options.slots });
  return { output: result.outputs[0], ...(result.counts ? { count: result.counts[0] } : {}) };
}
