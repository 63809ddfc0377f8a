// Cycles from instruction classes: QEMU's exact per-class counts (`run --count --classes`) times the core's cycles
// per class (cores/<id>.json `instructionCycles`, each number with its source). Zero memory wait states: the
// simulator adds those per board (step-cost.ts).
import type { InstructionClasses } from '../../targets/qemu/instruction-counts.ts';
import type { InstructionCycles } from './cost-data.ts';

/** The counted classes, without the memory-access counts that only refine them. */
export const CYCLE_CLASSES = ['load', 'loadPipelined', 'loadMultiple', 'store', 'storeMultiple', 'mul', 'div', 'branchTaken', 'branchNotTaken', 'other'] as const;

export function cyclesOfClasses(c: InstructionClasses, t: InstructionCycles): number {
  const singleLoads = c.load + c.loadPipelined;
  const wordsOfMultipleLoads = Math.max(0, c.flashLoads + c.sramLoads - singleLoads);
  return c.load * t.load + c.loadPipelined * t.loadPipelined
    + c.loadMultiple * t.loadMultiple + wordsOfMultipleLoads * t.perLoadedWord
    + c.store * t.store + c.storeMultiple * t.storeMultiple + (c.storedWords ?? 0) * t.perStoredWord
    + c.mul * t.mul + c.div * t.div
    + c.branchTaken * t.branchTaken + c.branchNotTaken * t.branchNotTaken
    + c.other * t.other;
}
