// What the fixed-point front end costs on a board: its C twin's instructions per one-second window, measured on
// Cortex-M4 under QEMU (mps2-an386, -O2, the sample clips), scaled to other cores the way the simulator scales plain
// C code (the core's default instruction scale), times the core's cycles per instruction; and its memory.
import { coreModel } from '../cost/cost-data.ts';
import type { Board } from '../../targets/boards/board-schema.ts';
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

export function frontendCost(board: Board): FrontendCost {
  const m4 = coreModel('cortex-m4').profiles.tinyforge;
  const core = coreModel(board.core).profiles.tinyforge;
  const instructions = Math.round((FRONTEND_M4_INSTRUCTIONS * core.scale.default!) / m4.scale.default!);
  const cycles = Math.round(instructions * core.cpi);
  return {
    instructions,
    cycles,
    ms: (cycles / board.clockHz) * 1000,
    sramBytes: CLIP_SAMPLES * 2 + FRONTEND_SCRATCH_BYTES + FEATURE_COUNT,
    flashBytes: Math.round(FRONTEND_FLASH_BYTES * coreModel(board.core).codeSizeScale),
  };
}
