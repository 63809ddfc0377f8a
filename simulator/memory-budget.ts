// Exact SRAM and flash accounting of a compiled model on a board, and the refusal message when
// it does not fit. Every figure is a sum of named parts so users (and tests) can check each byte.
import { STATS_MAX_GROUPS, statsGeometry, statsRamBytes } from '../formats/input-stats/input-stats-record.ts';
import type { Board, CoreId } from '../targets/boards/board-schema.ts';
import { flashBudget, largestSramSpan, psramBytes, sramBudget } from '../targets/boards/board-memory.ts';
import { z } from 'zod';
import { measuredStackBytes, packedMatmulStackBytes } from '../targets/firmware/stack-estimate.ts';
import { SLOT_OVERHEAD_BYTES, SlotLayoutError, slotLayout } from '../targets/boards/model-slot-layout.ts';
import { FIRMWARE_TARGETS } from '../targets/firmware/firmware-targets.ts';
import { SLOT_FIRMWARE_STACK_BYTES, SLOT_REGIONS } from '../targets/firmware/update/slot-regions.ts';
import { coreModel, kernelProfiles, type ProfileId } from './cost/cost-data.ts';
import { simulatorDataFile } from './data-file.ts';
import type { SimModel } from './sim-model.ts';

const Footprint = z.strictObject({
  description: z.string(),
  runnerStateBytes: z.number().int().nonnegative(),
  ioBuffers: z.strictObject({ minInputBytes: z.number().int().nonnegative(), alignment: z.number().int().positive() }),
  opDescriptor: z.strictObject({
    perStepBytes: z.number().int().nonnegative(),
    perPointerBytes: z.number().int().nonnegative(),
    perScalarBytes: z.number().int().nonnegative(),
  }),
  sources: z.record(z.string(), z.string()),
});
export type RuntimeFootprint = z.infer<typeof Footprint>;

let footprintCache: RuntimeFootprint | undefined;
export function runtimeFootprint(): RuntimeFootprint {
  return (footprintCache ??= Footprint.parse(simulatorDataFile('runtime-footprint.json')?.json));
}

export interface SramUse {
  arena: number;
  runtimeState: number;
  /** The firmware's input and output buffers (it copies them into and out of the arena). */
  ioBuffers: number;
  stack: number;
  /** SRAM total; when the arena lives in PSRAM it is not part of this. */
  used: number;
  budget: number;
  /** The largest contiguous run of SRAM banks, which must hold the arena. */
  largestSpan: number;
}

export interface FlashUse {
  /** Constant graph tensors (weights, biases) as laid out, alignment included. */
  weights: number;
  /** Prepare-computed constants (folded biases, multipliers, shifts, tables) plus the op table. */
  prepareParams: number;
  /** Of prepareParams: the op table (one descriptor per kernel call). */
  opTable: number;
  runtimeCode: number;
  used: number;
  budget: number;
  /** The flash split into code and two model slots (targets/boards/model-slot-layout.ts); absent for a board
   * file without erase geometry. A plain build's weights live in the code region; a slot holds the model blob. */
  slots?: FlashSlots;
}

export interface FlashSlots {
  /** Bytes of the code region: weights, parameters and code of a plain build must fit it. */
  codeRegionBytes: number;
  slotBytes: number;
  slotA: number;
  slotB: number;
  eraseBytes: number;
  /** What one slot holds for this model: slot state words + update header + the model's constants and op table. */
  modelSlotBytes: number;
  /** Code + both slots: what the flash layout reserves (at most the flash's size). */
  reserved: number;
  /** A plain build (model compiled in) fits the code region beside the two slots. Where tinyforge builds the
   * firmware (its memory.ld reserves the slots) a model that does not is refused; elsewhere it is a note. */
  fitsWithSlots: boolean;
  /** The model fits one slot (what a slot firmware and `tinyforge update` need); a plain build does not. */
  fitsSlot: boolean;
}

/** The SRAM of the board's slot firmware (`build --slots`: code only, the model in a flash slot), object by object as
 * it allocates them; absent for a board without one. Its arena, I/O buffers and statistics are sized for any model an
 * update may bring, not for this one. `used` is its ELF's .data + .bss + .stack, byte for byte
 * (tests/simulator/slot-firmware-sram.test.ts). */
export interface SlotFirmwareSram {
  /** `static uint8_t arena[TF_SLOT_ARENA_BYTES]` (slots/slot-boot.c), the board's figure in slot-regions.ts. */
  arenaReserved: number;
  /** This model's arena need, which must fit arenaReserved. */
  modelArena: number;
  /** main.c's input_buffer and output_buffer, TF_SLOT_IO_BYTES each (slots/model.h). */
  ioBuffers: number;
  /** Drift STATS (common/input-stats.h): main.c's tf_input_stats input_stats and input_stats_groups[TF_MODEL_STATS_GROUPS],
   * which slots/model.h sets to TF_STATS_MAX_GROUPS for whatever model a slot holds. */
  stats: number;
  /** Groups the STATS storage holds (TF_STATS_MAX_GROUPS). */
  statsGroups: number;
  /** Of them, the groups this model keeps (the rule of formats/input-stats/input-stats-record.ts statsGeometry, as
   * slot-boot.c derives it from the blob's input shape): its STATS answer is 164 + 88 per group bytes. */
  statsGroupsUsed: number;
  /** The slot boot's, update service's and flash driver's own variables and .data, alignment padding included:
   * the board's measured figure (slot-regions.ts staticBytes); `staticsHold` says what they are. */
  statics: number;
  staticsHold: string;
  /** The stack the slot firmware reserves (16 KiB unless `build --slots --stack`, `simulate --stack`). */
  stack: number;
  /** arenaReserved + ioBuffers + stats + statics + stack. */
  used: number;
  budget: number;
  /** The slot firmware fits the board's SRAM and this model fits its arena and I/O buffers. */
  fits: boolean;
  /** Why not, one sentence per problem (empty when it fits). */
  problems: string[];
}

export interface MemoryBudget {
  fits: boolean;
  arenaIn: 'sram' | 'psram';
  sram: SramUse;
  flash: FlashUse;
  psram?: { used: number; budget: number };
  /** The step whose live buffers reach highest in the arena, with its op type. */
  peak: { step: number; opIndex: number; opType: string };
  /** Why it does not fit, one sentence per problem (empty when it fits). */
  problems: string[];
  /** The slot firmware's SRAM on this board, with its own verdict (`fits` above is the plain build's, and also the
   * slot firmware's when a stack was given: a --stack neither fits is refused). */
  slotFirmware?: SlotFirmwareSram;
  /** The stack given (`simulate --stack`, as `build --stack` reserves it), used for sram.stack and slotFirmware.stack
   * in place of the estimate and the slot firmware's 16 KiB; with the stack this model was measured to need. */
  stackOption?: { bytes: number; measuredNeed: number };
}

export interface AccountOptions {
  /** Stack bytes the firmware reserves (`build --stack N`); default: the measured estimate, 16 KiB for a slot firmware. */
  stackBytes?: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** Code on the reference core: framework + invoke function + each kernel once + the helpers they share. */
export function codeBytes(model: SimModel, profile: ProfileId, dsp = false): number {
  const prof = kernelProfiles().profiles[profile];
  const kernels = new Map<string, string>(); // kernel name -> op type
  for (const s of model.steps) kernels.set(s.kernel, s.opType);
  let code = prof.frameworkCodeBytes + prof.invokeCode.fixedBytes + prof.invokeCode.perStepBytes * model.steps.length;
  const counted = new Set<string>();
  for (const [kernel, opType] of kernels) {
    // Profiles sized by op type count an op type once, whatever kernels implement it.
    const key = prof.codeBytes[kernel] !== undefined ? kernel : opType;
    if (counted.has(key)) continue;
    counted.add(key);
    code += prof.codeBytes[key] ?? 0;
  }
  for (const h of Object.values(prof.helpers)) {
    if (h.dspPacked && !(dsp && (model.dspPackedDepth ?? 0) > 0)) continue;
    if (h.usedBy.some((k) => kernels.has(k))) code += h.bytes;
  }
  return code;
}

/**
 * Stack of one inference: the firmware's own measured figures (targets/firmware/stack-estimate.ts, which
 * `tinyforge build` also reserves from) for the core's architecture. Xtensa has no tinyforge firmware
 * build to measure, so it takes the larger of the two measured architectures.
 */
/** Cores with the Arm DSP extension, where the firmware runs the packed matmul (targets/c/kernels/tf_matmul_packed_s8). */
function hasDsp(core: CoreId): boolean {
  return coreModel(core).isa.includes('+ DSP');
}

export function stackBytes(core: CoreId, kernels: readonly string[], dspPackedDepth = 0): number {
  if (core === 'rv32imc') return measuredStackBytes('riscv', kernels);
  if (hasDsp(core)) return Math.max(measuredStackBytes('arm', kernels), packedMatmulStackBytes(dspPackedDepth));
  if (core.startsWith('cortex-')) return measuredStackBytes('arm', kernels);
  return Math.max(measuredStackBytes('arm', kernels), measuredStackBytes('riscv', kernels));
}

/** The drift statistics' geometry for this model (its first input's channels, its first output's classes), or none. */
function modelStatsGeometry(model: Pick<SimModel, 'inputs' | 'outputs'>): ReturnType<typeof statsGeometry> | undefined {
  const input = model.inputs[0], output = model.outputs[0];
  if (!input) return undefined;
  return statsGeometry(input.shape, output && { elements: output.shape.reduce((a, b) => a * b, 1), dtype: output.dtype });
}

/** Static RAM of the firmware's input statistics for this model: its tf_input_stats and one group per (folded) channel. */
export function firmwareStatsBytes(model: Pick<SimModel, 'inputs' | 'outputs'>): number {
  const geometry = modelStatsGeometry(model);
  return geometry ? statsRamBytes(geometry) : 0;
}

/** Static RAM of a slot firmware's drift STATS: storage for the most groups any model keeps (slots/model.h). */
export const slotFirmwareStatsBytes = (): number => statsRamBytes({ groups: STATS_MAX_GROUPS });

/** The board's slot firmware's SRAM with this model in a slot; undefined where tinyforge builds no slot firmware. */
export function slotFirmwareSram(
  model: Pick<SimModel, 'inputs' | 'outputs' | 'arenaBytes'>, board: Board, stackOption?: number,
): SlotFirmwareSram | undefined {
  const regions = SLOT_REGIONS[board.id];
  if (!regions) return undefined;
  const statsGroupsUsed = modelStatsGeometry(model)?.groups ?? 0;
  const ioBuffers = 2 * regions.ioBytes;
  const stats = slotFirmwareStatsBytes();
  const stack = stackOption ?? SLOT_FIRMWARE_STACK_BYTES;
  const used = regions.arenaBytes + ioBuffers + stats + regions.staticBytes + stack;
  const budget = sramBudget(board);
  const problems: string[] = [];
  if (used > budget) {
    const room = budget - (used - stack);
    problems.push(`the slot firmware needs ${fmt(used)} B of SRAM, the board has ${fmt(budget)} B` +
      (stackOption !== undefined ? ` (with the ${fmt(stack)} B --stack: ${room > 0 ? `pass --stack ${fmt(room)} or less` : 'no stack fits beside its arena and buffers; build --slots --arena smaller'})` : ''));
  }
  if (model.arenaBytes > regions.arenaBytes) {
    problems.push(`the model's ${fmt(model.arenaBytes)} B arena exceeds the ${fmt(regions.arenaBytes)} B the slot firmware reserves (build --slots --arena)`);
  }
  const io = Math.max(...model.inputs.map((t) => t.bytes), ...model.outputs.map((t) => t.bytes), 0);
  if (io > regions.ioBytes) problems.push(`a ${fmt(io)} B model input or output exceeds the slot firmware's ${fmt(regions.ioBytes)} B I/O buffers`);
  return {
    arenaReserved: regions.arenaBytes, modelArena: model.arenaBytes, ioBuffers, stats, statsGroups: STATS_MAX_GROUPS, statsGroupsUsed,
    statics: regions.staticBytes, staticsHold: regions.staticsHold, stack, used, budget, fits: problems.length === 0, problems,
  };
}

export function accountMemory(model: SimModel, board: Board, profile: ProfileId, options: AccountOptions = {}): MemoryBudget {
  const fp = runtimeFootprint();
  const measuredNeed = stackBytes(board.core, [...new Set(model.steps.map((s) => s.kernel))], model.dspPackedDepth ?? 0);
  const stack = options.stackBytes ?? measuredNeed;
  const inBytes = model.inputs.reduce((n, t) => n + t.bytes, 0);
  const outBytes = model.outputs.reduce((n, t) => n + t.bytes, 0);
  // Output then input buffer, padded so that the arena after them starts aligned.
  const ioRaw = outBytes + Math.max(inBytes, fp.ioBuffers.minInputBytes);
  const ioBuffers = alignUp(ioRaw, fp.ioBuffers.alignment);
  // Besides the runner's own state, the firmware's drift statistics (targets/firmware/common/input-stats.h), sized to
  // the model; they sit with the I/O buffers before the aligned arena and share its padding.
  const runtimeState = fp.runnerStateBytes + alignUp(ioRaw + firmwareStatsBytes(model), fp.ioBuffers.alignment) - ioBuffers;

  const opTable = model.steps.reduce(
    (n, s) => n + fp.opDescriptor.perStepBytes + fp.opDescriptor.perPointerBytes * s.pointerCount + fp.opDescriptor.perScalarBytes * s.scalarCount,
    0,
  );
  // On a core with the DSP extension the firmware's packed matmul layouts replace some weights and parameters.
  const dspDelta = profile === 'tinyforge' && hasDsp(board.core) ? model.dspConstDeltaBytes ?? 0 : 0;
  const baseWeights = model.weightBytes ?? model.constBytes;
  const prepareParams = model.constBytes - baseWeights + opTable;
  const weights = baseWeights + dspDelta;
  const runtimeCode = Math.round(codeBytes(model, profile, profile === 'tinyforge' && hasDsp(board.core)) * coreModel(board.core).codeSizeScale);

  const sramAvail = sramBudget(board);
  const span = largestSramSpan(board);
  const psram = psramBytes(board);
  const nonArena = runtimeState + ioBuffers + stack;
  const inSram = model.arenaBytes + nonArena <= sramAvail && model.arenaBytes <= span;
  // A board with PSRAM takes an arena too large for SRAM there, at a cost per access (see step-cost).
  const arenaIn: 'sram' | 'psram' = !inSram && psram > 0 && model.arenaBytes <= psram ? 'psram' : 'sram';
  const sramUsed = nonArena + (arenaIn === 'sram' ? model.arenaBytes : 0);
  const flashUsed = weights + prepareParams + runtimeCode;
  const flashAvail = flashBudget(board);

  const peakStep = model.steps[model.peakStep];
  const peak = { step: model.peakStep, opIndex: peakStep?.opIndex ?? 0, opType: peakStep?.opType ?? '?' };
  const problems: string[] = [];
  if (sramUsed > sramAvail) {
    const room = sramAvail - (sramUsed - stack);
    const wayOut = options.stackBytes === undefined ? ''
      : room >= measuredNeed ? `; with the ${fmt(stack)} B --stack: pass --stack ${fmt(room)} or less (this model needs ${fmt(measuredNeed)} B)`
        : `; even without the ${fmt(stack)} B --stack only ${fmt(Math.max(room, 0))} B are left for a stack, and this model needs ${fmt(measuredNeed)} B`;
    problems.push(`SRAM needs ${fmt(sramUsed)} B of ${fmt(sramAvail)} B (peak at op ${peak.opIndex} ${peak.opType})${wayOut}`);
  } else if (arenaIn === 'sram' && model.arenaBytes > span) {
    problems.push(`the ${fmt(model.arenaBytes)} B arena exceeds the largest contiguous SRAM block of ${fmt(span)} B (peak at op ${peak.opIndex} ${peak.opType})`);
  }
  let slots: FlashSlots | undefined;
  try {
    const layout = slotLayout(board);
    if (layout) {
      slots = {
        codeRegionBytes: layout.code.bytes, slotBytes: layout.slotBytes, slotA: layout.slotA.base, slotB: layout.slotB.base,
        eraseBytes: layout.eraseBytes, modelSlotBytes: SLOT_OVERHEAD_BYTES + weights + prepareParams,
        reserved: layout.code.bytes + 2 * layout.slotBytes,
        fitsWithSlots: weights + prepareParams + runtimeCode <= layout.code.bytes,
        fitsSlot: SLOT_OVERHEAD_BYTES + weights + prepareParams <= layout.slotBytes,
      };
    }
  } catch (err) {
    if (!(err instanceof SlotLayoutError)) throw err;
    problems.push(err.message);
  }
  const parts = `weights ${fmt(weights)} B + parameters ${fmt(prepareParams)} B + code ${fmt(runtimeCode)} B`;
  if (flashUsed > flashAvail) {
    problems.push(`flash needs ${fmt(flashUsed)} B of ${fmt(flashAvail)} B (${parts})`);
  } else if (slots && flashUsed > slots.codeRegionBytes && FIRMWARE_TARGETS.some((t) => t.id === board.id)) {
    // tinyforge's own firmware for this board links into the code region only (memory.ld reserves the slots).
    problems.push(`flash needs ${fmt(flashUsed)} B (${parts}) but the code region holds ${fmt(slots.codeRegionBytes)} B: ` +
      `the other ${fmt(2 * slots.slotBytes)} B of the ${fmt(flashAvail)} B flash are the two ${fmt(slots.slotBytes)} B model slots`);
  }

  const slotFirmware = slotFirmwareSram(model, board, options.stackBytes);
  // A given stack is a request for both firmwares: one that does not fit the slot firmware is refused too.
  if (options.stackBytes !== undefined && slotFirmware && slotFirmware.used > slotFirmware.budget) {
    problems.push(slotFirmware.problems[0]!);
  }
  return {
    fits: problems.length === 0,
    arenaIn,
    sram: { arena: model.arenaBytes, runtimeState, ioBuffers, stack, used: sramUsed, budget: sramAvail, largestSpan: span },
    flash: { weights, prepareParams, opTable, runtimeCode, used: flashUsed, budget: flashAvail, ...(slots ? { slots } : {}) },
    ...(psram > 0 ? { psram: { used: arenaIn === 'psram' ? model.arenaBytes : 0, budget: psram } } : {}),
    peak,
    problems,
    ...(slotFirmware ? { slotFirmware } : {}),
    ...(options.stackBytes !== undefined ? { stackOption: { bytes: options.stackBytes, measuredNeed } } : {}),
  };
}
