// Reads the instruction-count plugin's log into per-inference, per-kernel-call counts.

/** Instructions by what they cost on a core (the plugin's classes=1; targets/qemu/plugin/insn-class.h). */
export interface InstructionClasses {
  load: number;
  /** Single loads right after a load or store (Cortex-M pipelines them). */
  loadPipelined: number;
  loadMultiple: number;
  store: number;
  storeMultiple: number;
  /** 32-bit multiplies and multiply-accumulates. */
  mul: number;
  div: number;
  branchTaken: number;
  branchNotTaken: number;
  other: number;
  /** Memory accesses of load instructions into the FLASH region (weights, constants, code) and elsewhere (SRAM). */
  flashLoads: number;
  sramLoads: number;
  /** Words written by the multiple stores (STM, PUSH, STRD, VPUSH): their cost is 1 + N on Cortex-M. */
  storedWords: number;
}

/** The plugin's counter order after the instruction count: its classes, taken branches, flash and other loads, stored words. */
const CLASS_FIELDS = ['load', 'loadPipelined', 'loadMultiple', 'store', 'storeMultiple', 'mul', 'div', 'branch', 'other', 'taken', 'flashLoads', 'sramLoads', 'storedWords'] as const;

export interface InvocationCount {
  /** Instructions from the begin marker to the end marker. */
  instructions: number;
  /** Instructions per kernel call, in execution order (the markers' own few instructions included). */
  steps: number[];
  /** Per kernel call, when the plugin counted classes. */
  stepClasses?: InstructionClasses[];
  /** From the begin marker to the end marker, by class (with the plugin's classes). */
  classes?: InstructionClasses;
}

function classesBetween(a: number[], b: number[]): InstructionClasses {
  const d = Object.fromEntries(CLASS_FIELDS.map((f, i) => [f, b[i]! - a[i]!])) as Record<(typeof CLASS_FIELDS)[number], number>;
  return {
    load: d.load, loadPipelined: d.loadPipelined, loadMultiple: d.loadMultiple, store: d.store, storeMultiple: d.storeMultiple,
    mul: d.mul, div: d.div, branchTaken: d.taken, branchNotTaken: d.branch - d.taken, other: d.other,
    flashLoads: d.flashLoads, sramLoads: d.sramLoads, storedWords: d.storedWords,
  };
}

export class InstructionCountError extends Error {
  override name = 'InstructionCountError';
}

export function parseInstructionLog(log: string): InvocationCount[] {
  const invocations: InvocationCount[] = [];
  let marks: number[] | undefined;
  let classMarks: number[][] = [];
  for (const line of log.split('\n')) {
    const [kind, value, ...counters] = line.trim().split(' ');
    if (!kind) continue;
    const n = Number(value);
    const classes = counters.map(Number);
    if (classes.length !== 0 && classes.length !== CLASS_FIELDS.length) {
      throw new InstructionCountError(`marker line with ${classes.length} class counters, expected ${CLASS_FIELDS.length}: '${line}'`);
    }
    if (kind === 'B') {
      marks = [n];
      classMarks = [classes];
    } else if (kind === 'O') {
      if (!marks) throw new InstructionCountError('op marker outside an inference');
      marks.push(n);
      classMarks.push(classes);
    } else if (kind === 'E') {
      if (!marks) throw new InstructionCountError('end marker without a begin marker');
      marks.push(n);
      classMarks.push(classes);
      const steps: number[] = [];
      const stepClasses: InstructionClasses[] = [];
      // The last kernel call's count ends at its op marker; the stretch to the end marker is the return path.
      for (let i = 1; i < marks.length - 1; i++) {
        steps.push(marks[i]! - marks[i - 1]!);
        if (classes.length) stepClasses.push(classesBetween(classMarks[i - 1]!, classMarks[i]!));
      }
      invocations.push({ instructions: n - marks[0]!, steps, ...(classes.length ? { stepClasses, classes: classesBetween(classMarks[0]!, classes) } : {}) });
      marks = undefined;
    }
  }
  return invocations;
}
