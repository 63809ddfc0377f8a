// Reads the instruction-count plugin's log into per-inference, per-kernel-call counts.

export interface InvocationCount {
  /** Instructions from the begin marker to the end marker. */
  instructions: number;
  /** Instructions per kernel call, in execution order (the markers' own few instructions included). */
  steps: number[];
}

export class InstructionCountError extends Error {
  override name = 'InstructionCountError';
}

export function parseInstructionLog(log: string): InvocationCount[] {
  const invocations: InvocationCount[] = [];
  let marks: number[] | undefined;
  for (const line of log.split('\n')) {
    const [kind, value] = line.trim().split(' ');
    if (!kind) continue;
    const n = Number(value);
    if (kind === 'B') marks = [n];
    else if (kind === 'O') {
      if (!marks) throw new InstructionCountError('op marker outside an inference');
      marks.push(n);
    } else if (kind === 'E') {
      if (!marks) throw new InstructionCountError('end marker without a begin marker');
      marks.push(n);
      const steps: number[] = [];
      // The last kernel call's count ends at its op marker; the stretch to the end marker is the return path.
      for (let i = 1; i < marks.length - 1; i++) steps.push(marks[i] - marks[i - 1]);
      invocations.push({ instructions: n - marks[0], steps });
      marks = undefined;
    }
  }
  return invocations;
}
