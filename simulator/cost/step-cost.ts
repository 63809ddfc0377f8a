// Cycles of one kernel call on one board: instructions from the call's work counts and the profile's per-class
// coefficients (scaled by the core), times the core's cycles per instruction for that kernel class's measured
// instruction mix (class-mix.json, or for `optimized` CMSIS-NN's own cmsis-nn-measured.json, × the core's
// instructionCycles table), plus cycles lost waiting on flash or PSRAM.
// Nothing here is fitted to a published latency; cores without a table fall back to their old fitted CPI.
import type { Board } from '../../targets/boards/board-schema.ts';
import { flashRegion, psramRegion } from '../../targets/boards/board-memory.ts';
import type { SimStep } from '../sim-model.ts';
import { coreModel, kernelProfiles, type ProfileId } from './cost-data.ts';
import { measuredScale, profileClassMix } from './class-mix.ts';
import { cyclesOfClasses } from './instruction-cycles.ts';
import { profileKernelClass } from './profile-kernel-class.ts';
import type { InstructionClasses } from '../../targets/qemu/instruction-counts.ts';

const MAC_CLASSES = new Set(['conv1x1', 'conv', 'depthwise', 'depthwiseMultiplier', 'fullyConnected']);

export interface StepCost {
  /** Instructions on this core. */
  instructions: number;
  /** Cycles per instruction at zero wait states: the class mix × the core's table, or the core's fitted CPI. */
  cyclesPerInstruction: number;
  /** Where that came from. */
  cpiFrom: 'instruction-classes' | 'fitted-cpi';
  computeCycles: number;
  /** Cycles stalled on flash line fills for weights and prepare data. */
  flashStallCycles: number;
  /** Cycles stalled on PSRAM line fills (arena in PSRAM). */
  psramStallCycles: number;
  cycles: number;
}

export interface CostContext {
  board: Board;
  profile: ProfileId;
  /** Where the arena lives (PSRAM when it does not fit in SRAM on a board that has some). */
  arenaIn: 'sram' | 'psram';
}

/** Cycles per byte streamed from a region: one line fill per line. */
function stallPerByte(region: { missCycles?: number; lineBytes?: number } | undefined): number {
  if (!region?.missCycles) return 0;
  return region.missCycles / (region.lineBytes ?? 4);
}

export function stepCost(step: SimStep, ctx: CostContext): StepCost {
  const profile = kernelProfiles().profiles[ctx.profile];
  const core = coreModel(ctx.board.core).profiles[ctx.profile];
  // The class the profile's code runs this step as (usually the simulator's own).
  const cls = profileKernelClass(step, ctx.profile);
  // A core may carry its own measured coefficients for a class; otherwise the reference core's, scaled.
  const own = core.classes?.[cls];
  const k = own ?? profile.classes[cls];
  // The scale to this core: measured (this core's own build against the reference core's, class-mix.json) or the
  // core file's estimate.
  const scaleOf = (c: string) => (core.scaleFrom === 'class-mix' ? measuredScale(ctx.board.core, ctx.profile, c) : (core.scale[c] ?? core.scale.default!));
  const scale = own ? 1 : scaleOf(cls);
  const copy = core.classes?.copy ?? profile.classes.copy;
  const copyScale = core.classes?.copy ? 1 : scaleOf('copy');
  const referenceInstr =
    (k.perCall ?? 0) +
    (k.perMac ?? 0) * step.macs +
    (k.perOutput ?? 0) * step.outputs +
    (k.perPixel ?? 0) * step.pixels +
    (k.perTap ?? 0) * (step.taps ?? 0) +
    (k.perByteRead ?? 0) * step.bytesRead +
    // A copy over its own input (reshape in place) moves nothing.
    (cls === 'copy' && step.inPlace ? 0 : (k.perByteWritten ?? 0) * step.bytesWritten);
  // The firmware copies the input into the arena at the start of the inference (a memcpy).
  const inputCopy = step.inputCopyBytes * (copy.perByteWritten ?? 0) * copyScale;
  const instructions = referenceInstr * scale + inputCopy;
  const cpi = cyclesPerInstruction(ctx.board.core, cls, ctx.profile);
  const computeCycles = instructions * (cpi ?? core.cpi);

  const flash = flashRegion(ctx.board);
  let flashStallCycles: number;
  const mix = cpi === undefined ? undefined : profileClassMix(ctx.board.core, ctx.profile, cls);
  if (mix) {
    // The loads into flash QEMU counted for this kernel class (weights, biases, multipliers, literal pools), per
    // instruction. Constants that fit in the data cache miss once per line; otherwise every word load streams
    // through the flash line buffer: one line fill per line, i.e. missCycles × 4 / lineBytes per word.
    const flashLoads = instructions * mix.flashLoads;
    const line = flash.lineBytes ?? 4;
    flashStallCycles = step.constBytes <= ctx.board.dataCacheBytes
      ? Math.ceil(step.constBytes / line) * (flash.missCycles ?? 0)
      : flashLoadStallCycles(ctx.board, flashLoads);
  } else {
    // Cores without a measured mix (Xtensa): weights are read once per MAC pass (per profile), or once in all when
    // they fit in the data cache.
    const weightReads = MAC_CLASSES.has(cls) ? step.macs * profile.weightBytesPerMac : step.constBytes;
    const flashBytes = step.constBytes <= ctx.board.dataCacheBytes ? Math.min(step.constBytes, weightReads) : Math.max(weightReads, step.constBytes);
    flashStallCycles = flashBytes * stallPerByte(flash);
  }

  let psramStallCycles = 0;
  if (ctx.arenaIn === 'psram') {
    // The step's counters count each byte once: activations are what is not constant.
    const activationBytes = Math.max(0, step.bytesRead - step.constBytes) + step.bytesWritten;
    psramStallCycles = activationBytes * stallPerByte(psramRegion(ctx.board));
  }
  // Whole cycles per call, so that model totals are exact sums of their layers.
  const cycles = Math.round(computeCycles + flashStallCycles + psramStallCycles);
  return { instructions, cyclesPerInstruction: cpi ?? core.cpi, cpiFrom: cpi === undefined ? 'fitted-cpi' : 'instruction-classes', computeCycles, flashStallCycles, psramStallCycles, cycles };
}

/** Cycles lost on word loads from flash that stream through the flash line buffer: a line fill per line. */
export function flashLoadStallCycles(board: Board, flashLoads: number): number {
  const flash = flashRegion(board);
  return flashLoads * (flash.missCycles ?? 0) * Math.min(1, 4 / (flash.lineBytes ?? 4));
}

/**
 * Zero-wait-state cycles per instruction of a kernel class on a core: the class's measured mix on the core's ISA
 * (fractions per instruction; the cycle formula is linear, so it gives cycles per instruction), or undefined when
 * the core has no cycles table or no measured ISA (Xtensa).
 */
export function cyclesPerInstruction(core: Board['core'], kernelClass: string, profile: ProfileId = 'tinyforge'): number | undefined {
  const table = coreModel(core).instructionCycles;
  const mix = profileClassMix(core, profile, kernelClass);
  if (!table || !mix) return undefined;
  return cyclesOfClasses(mix as InstructionClasses, table);
}
