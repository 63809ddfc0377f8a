// Validate on target: the same inputs through the firmware on a device and through the host's WASM runtime, every
// output byte compared, and the device's own cycle count per inference turned into time at the board's clock.
import type { FirmwareSession } from './firmware-session.ts';

export interface ValidationCase {
  /** "uniform", "random 3", … */
  name: string;
  input: Uint8Array;
  /** The host runtime's output bytes (all outputs concatenated). */
  expected: Uint8Array;
  /** TensorFlow Lite Micro's output for this input, where a golden exists (corpus cases). */
  golden?: Uint8Array;
}

export interface Mismatch {
  case: string;
  /** Byte offset in the concatenated outputs. */
  index: number;
  expected: number;
  got: number;
}

export interface ValidationReport {
  cases: number;
  bitExact: boolean;
  mismatchingCases: number;
  mismatchingBytes: number;
  outputBytes: number;
  firstMismatch?: Mismatch;
  /** Device output vs TensorFlow Lite Micro's goldens, for the cases that have one. */
  golden?: { cases: number; mismatchingBytes: number };
  cycles: number[];
  /** cycles ÷ clock, per inference; absent when the device counts no cycles. */
  timeMs?: { min: number; median: number; max: number };
  cyclesNote?: string;
  clockHz: number;
  maxStackBytes: number;
}

function diffBytes(expected: Uint8Array, got: Uint8Array): { count: number; first?: number } {
  let count = Math.abs(expected.length - got.length);
  let first: number | undefined = expected.length !== got.length ? Math.min(expected.length, got.length) : undefined;
  for (let i = 0; i < Math.min(expected.length, got.length); i++) {
    if (expected[i] !== got[i]) {
      count++;
      if (first === undefined || i < first) first = i;
    }
  }
  return { count, ...(first !== undefined ? { first } : {}) };
}

const toInt8 = (b: number | undefined) => (b === undefined ? NaN : (b << 24) >> 24);

export async function validateOnDevice(
  session: FirmwareSession,
  cases: readonly ValidationCase[],
  options: { clockHz: number; emulated?: boolean; onCase?: (done: number) => void },
): Promise<ValidationReport> {
  let mismatchingCases = 0, mismatchingBytes = 0, outputBytes = 0, maxStackBytes = 0;
  let firstMismatch: Mismatch | undefined;
  let golden: { cases: number; mismatchingBytes: number } | undefined;
  const cycles: number[] = [];
  for (const [i, c] of cases.entries()) {
    const r = await session.invoke(c.input);
    cycles.push(r.cycles);
    maxStackBytes = Math.max(maxStackBytes, r.stackBytes);
    outputBytes += c.expected.length;
    const d = diffBytes(c.expected, r.output);
    if (d.count > 0) {
      mismatchingCases++;
      mismatchingBytes += d.count;
      firstMismatch ??= { case: c.name, index: d.first!, expected: toInt8(c.expected[d.first!]), got: toInt8(r.output[d.first!]) };
    }
    if (c.golden) {
      golden ??= { cases: 0, mismatchingBytes: 0 };
      golden.cases++;
      golden.mismatchingBytes += diffBytes(c.golden, r.output).count;
    }
    options.onCase?.(i + 1);
  }
  const report: ValidationReport = {
    cases: cases.length, bitExact: mismatchingBytes === 0 && (golden?.mismatchingBytes ?? 0) === 0, mismatchingCases, mismatchingBytes, outputBytes,
    ...(firstMismatch ? { firstMismatch } : {}), ...(golden ? { golden } : {}), cycles, clockHz: options.clockHz, maxStackBytes,
  };
  if (cycles.length > 0 && cycles.every((c) => c > 0)) {
    const ms = cycles.map((c) => (c / options.clockHz) * 1000).sort((a, b) => a - b);
    report.timeMs = { min: ms[0]!, median: ms[Math.floor(ms.length / 2)]!, max: ms[ms.length - 1]! };
    if (options.emulated) report.cyclesNote = "QEMU is not cycle-accurate: these are its counter's readings, not a core's cycles ('tinyforge run --count' gives exact instructions)";
  } else if (cycles.length > 0) {
    report.cyclesNote = 'the device counted no cycles (its cycle counter reads 0: QEMU models no DWT cycle counter on Cortex-M)';
  }
  return report;
}

export function formatValidation(r: ValidationReport, where: string): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const lines = [`${n(r.cases)} input(s) on ${where}, ${n(r.outputBytes)} output bytes compared with the host runtime (WASM)`];
  if (r.bitExact) lines.push(`bit-exact: every output byte equals the host's${r.golden ? `, and TensorFlow Lite Micro's golden on ${r.golden.cases} corpus case(s)` : ''}`);
  else {
    lines.push(`NOT bit-exact: ${n(r.mismatchingBytes)} byte(s) differ in ${r.mismatchingCases} of ${r.cases} case(s)`);
    if (r.firstMismatch) lines.push(`first mismatch: case ${r.firstMismatch.case}, output byte ${r.firstMismatch.index}: expected ${r.firstMismatch.expected}, got ${r.firstMismatch.got}`);
    if (r.golden && r.golden.mismatchingBytes > 0) lines.push(`against TensorFlow Lite Micro's goldens: ${n(r.golden.mismatchingBytes)} byte(s) differ over ${r.golden.cases} case(s)`);
  }
  if (r.timeMs) {
    const sorted = [...r.cycles].sort((a, b) => a - b);
    lines.push(`per inference on the device: median ${n(sorted[Math.floor(sorted.length / 2)]!)} cycles = ${r.timeMs.median.toFixed(3)} ms at ${n(r.clockHz / 1e6)} MHz (min ${r.timeMs.min.toFixed(3)}, max ${r.timeMs.max.toFixed(3)} ms)${r.cyclesNote ? `; ${r.cyclesNote}` : ''}`);
  } else if (r.cyclesNote) lines.push(`per inference: ${r.cyclesNote}`);
  lines.push(`stack used: ${n(r.maxStackBytes)} B at most`);
  return lines.join('\n');
}
