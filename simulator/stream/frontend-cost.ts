// What the fixed-point front end costs on a board, and its memory. Its C twin's instructions per one-second window
// are measured under QEMU with the instruction-class plugin (front end + model on the 20 sample clips minus the model
// alone; examples/kws/firmware/measure-frontend.ts --classes writes frontend-classes.json), on the build that stands
// for the board's core (Thumb-2 with DSP, Cortex-M3, Armv6-M, RV32IMC: cost/class-mix.ts classMixTarget). Cycles:
// those classes × the core's cycles per class (cores/<id>.json instructionCycles) plus flash wait states per measured
// flash load, as for the kernels. Cores with no table or no measured build (Xtensa, Cortex-M55) keep the older
// estimate: the Cortex-M4 count scaled by the core's default instruction scale, times the core's fitted CPI.
import { z } from 'zod';
import { coreModel, parseFile } from '../cost/cost-data.ts';
import { classMixTarget, ClassSumsSchema, type ClassMixTarget, CLASS_MIX_TARGETS } from '../cost/class-mix.ts';
import { SUM_FIELDS_LIST } from '../cost/class-sum-fields.ts';
import { cyclesOfClasses } from '../cost/instruction-cycles.ts';
import { flashLoadStallCycles } from '../cost/step-cost.ts';
import type { Board } from '../../targets/boards/board-schema.ts';
import type { InstructionClasses } from '../../targets/qemu/instruction-counts.ts';
import { CLIP_SAMPLES, FEATURE_COUNT } from '../../frontend/mfcc-config.ts';

/** Instructions per one-second window on Cortex-M4 (the 20 sample clips' mean, 7.39–7.64 M; measured by
 *  examples/kws/firmware/measure-frontend.ts: front end + model under QEMU minus the model alone). */
export const FRONTEND_M4_INSTRUCTIONS = 7_482_000;
/** kws_frontend_scratch_t (re, im, magnitude, log_mel as int32). */
export const FRONTEND_SCRATCH_BYTES = (256 + 256 + 257 + 40) * 4;
/** Code (2.5 KB) and tables (8.1 KB) of kws_frontend.c for Cortex-M4 at -O2 (arm-none-eabi-size). */
export const FRONTEND_FLASH_BYTES = 10_604;

export interface FrontendCost {
  instructions: number;
  cycles: number;
  ms: number;
  /** The one-second int16 window, the scratch and the int8 features. */
  sramBytes: number;
  flashBytes: number;
}

const FrontendClassesSchema = z.strictObject({
  description: z.string(),
  sources: z.record(z.string(), z.string()),
  /** Per measured build: the front end's share of every window summed over the clips (`calls`: windows). */
  targets: z.partialRecord(z.enum(CLASS_MIX_TARGETS), ClassSumsSchema),
});
export type FrontendClassesFile = z.infer<typeof FrontendClassesSchema>;

let cache: FrontendClassesFile | undefined;
/** Written by `npm run profiles:frontend`. */
export function frontendClassesFile(): FrontendClassesFile {
  return (cache ??= parseFile(FrontendClassesSchema, 'stream/frontend-classes.json'));
}

/** The front end's measured window on the build that stands for this core, per window; undefined when none. */
function measuredWindow(core: Board['core']): { target: ClassMixTarget; perWindow: InstructionClasses & { instructions: number } } | undefined {
  const target = classMixTarget(core, 'tinyforge');
  const sums = target && frontendClassesFile().targets[target];
  if (!target || !sums || sums.calls === 0) return undefined;
  const perWindow = Object.fromEntries(SUM_FIELDS_LIST.filter((f) => f !== 'calls').map((f) => [f, sums[f] / sums.calls])) as unknown as InstructionClasses & { instructions: number };
  return { target, perWindow };
}

export function frontendCost(board: Board): FrontendCost {
  const table = coreModel(board.core).instructionCycles;
  const measured = table ? measuredWindow(board.core) : undefined;
  let instructions: number;
  let cycles: number;
  if (measured && table) {
    // The tables (twiddles, window, mel weights: 8.1 KB) are read from flash: every measured flash load streams.
    instructions = Math.round(measured.perWindow.instructions);
    cycles = Math.round(cyclesOfClasses(measured.perWindow, table) + flashLoadStallCycles(board, measured.perWindow.flashLoads));
  } else {
    // Fitted, not measured on this core: the Cortex-M4 count × the core's instruction scale × its CPI.
    const m4 = coreModel('cortex-m4').profiles.tinyforge;
    const core = coreModel(board.core).profiles.tinyforge;
    instructions = Math.round((FRONTEND_M4_INSTRUCTIONS * core.scale.default!) / m4.scale.default!);
    cycles = Math.round(instructions * core.cpi);
  }
  return {
    instructions,
    cycles,
    ms: (cycles / board.clockHz) * 1000,
    sramBytes: CLIP_SAMPLES * 2 + FRONTEND_SCRATCH_BYTES + FEATURE_COUNT,
    flashBytes: Math.round(FRONTEND_FLASH_BYTES * coreModel(board.core).codeSizeScale),
  };
}
