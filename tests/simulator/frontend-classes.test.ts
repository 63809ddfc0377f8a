// The audio front end's cost is a measurement too: its C twin counted under QEMU by instruction class on the build
// that stands for each core (simulator/stream/frontend-classes.json, `npm run profiles:frontend`), times the core's
// cycles per class, plus flash wait states. Re-measuring gives exactly the committed counts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureFrontendClasses, FRONTEND_CLASS_TARGETS } from '../../examples/kws/firmware/measure-frontend.ts';
import { readWav } from '../../frontend/wav.ts';
import { CLASS_MIX_BUILDS } from '../../simulator/cost/class-mix.ts';
import { coreModel } from '../../simulator/cost/cost-data.ts';
import { cyclesOfClasses } from '../../simulator/cost/instruction-cycles.ts';
import { flashLoadStallCycles } from '../../simulator/cost/step-cost.ts';
import { FRONTEND_M4_INSTRUCTIONS, frontendClassesFile, frontendCost } from '../../simulator/stream/frontend-cost.ts';
import { loadBoard } from '../../targets/boards/load-board.ts';
import type { InstructionClasses } from '../../targets/qemu/instruction-counts.ts';

const samples = join(import.meta.dirname, '..', '..', 'examples', 'kws', 'samples');
const clips = readdirSync(samples).filter((f) => f.endsWith('.wav')).sort()
  .map((f) => readWav(new Uint8Array(readFileSync(join(samples, f))), f).samples);

describe('the audio front end by instruction class (simulator/stream/frontend-classes.json)', () => {
  it('holds every measured ISA, each over the 20 sample clips; on Cortex-M4 the mean is the instruction count measured before', () => {
    for (const t of FRONTEND_CLASS_TARGETS) expect(frontendClassesFile().targets[t]?.calls, t).toBe(clips.length);
    const m4 = frontendClassesFile().targets['qemu-mps2-an386']!;
    expect(Math.round(m4.instructions / m4.calls / 1000) * 1000).toBe(FRONTEND_M4_INSTRUCTIONS);
  });

  it('re-measuring the Cortex-M3 build on mps2-an385 gives the committed counts exactly', async () => {
    const measured = await measureFrontendClasses(clips, CLASS_MIX_BUILDS['qemu-mps2-an386-plain']);
    expect(measured).toEqual(frontendClassesFile().targets['qemu-mps2-an386-plain']);
  }, 600_000);

  it('costs a window from those classes and the core\'s table on the boards whose core has both, and says the rest is fitted', () => {
    const l4 = loadBoard('nucleo-l4r5zi');
    const m4 = frontendClassesFile().targets['qemu-mps2-an386']!;
    const perWindow = Object.fromEntries(Object.entries(m4).map(([k, v]) => [k, v / m4.calls])) as unknown as InstructionClasses;
    const expected = cyclesOfClasses(perWindow, coreModel('cortex-m4').instructionCycles!) + flashLoadStallCycles(l4, perWindow.flashLoads);
    expect(frontendCost(l4).cycles).toBe(Math.round(expected));
    // The Cortex-M0+ build is its own count (Thumb-1, 64-bit products as several MULS), not a scaled Cortex-M4 one.
    const pico = frontendClassesFile().targets['qemu-mps2-an385-armv6m']!;
    expect(frontendCost(loadBoard('rpi-pico')).instructions).toBe(Math.round(pico.instructions / pico.calls));
    // Xtensa: no table, no measured build: the older estimate (M4 count × the core's scale × its fitted CPI).
    const lx6 = coreModel('xtensa-lx6').profiles.tinyforge;
    expect(frontendCost(loadBoard('esp32-devkitc')).cycles).toBe(Math.round(Math.round(FRONTEND_M4_INSTRUCTIONS * lx6.scale.default! / coreModel('cortex-m4').profiles.tinyforge.scale.default!) * lx6.cpi));
  });
});
