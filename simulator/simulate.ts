// One simulation: account the model's memory on the board, refuse it if it does not fit, run it in
// the WASM runtime with memory sized to the board, and estimate time and energy per layer.
import type { CompiledModel } from '../compiler/compile-model.ts';
import type { Board } from '../targets/boards/board-schema.ts';
import { flashBudget, sramBudget } from '../targets/boards/board-memory.ts';
import type { BlobModel } from '../runtime-as/host/read-blob.ts';
import { Runtime } from '../runtime-as/host/runtime.ts';
import type { ProfileId } from './cost/cost-data.ts';
import { stepCost } from './cost/step-cost.ts';
import { activeEnergyUj, dutyCycle, type Battery, type DutyCycleResult } from './energy.ts';
import { accountMemory, type MemoryBudget } from './memory-budget.ts';
import { simModel, type SimModel, type SimStep } from './sim-model.ts';

/** One kernel call's simulated cost, next to what the model view says about it. */
export interface LayerResult extends Pick<SimStep, 'step' | 'opIndex' | 'opType' | 'kernel' | 'kernelClass' | 'macs'> {
  instructions: number;
  cycles: number;
  /** Of `cycles`: waiting on flash and PSRAM line fills. */
  stallCycles: number;
  us: number;
  /** null on boards without power figures (virtual boards). */
  energyUj: number | null;
  /** Arena bytes alive during this call. */
  liveBytes: number;
  /** Zero-wait-state cycles per instruction, and where it came from (cost/step-cost.ts). */
  cyclesPerInstruction: number;
  cycleModel: 'instruction-classes' | 'fitted-cpi';
}

export interface Execution {
  hostMsPerInference: number;
  runs: number;
  /** Simulated time over host time: above 1, the simulator outruns the chip. */
  speedup: number;
  outputs: number[][];
}

export interface SimulationResult {
  board: { id: string; name: string; core: string; clockHz: number };
  model: string;
  profile: ProfileId;
  fits: boolean;
  memory: MemoryBudget;
  layers: LayerResult[];
  totals: { macs: number; instructions: number; cycles: number; latencyMs: number; energyUj: number | null };
  /** One line for the user when the model does not fit, with a board that would take it. */
  refusal?: string;
  suggestedBoard?: string;
  duty?: DutyCycleResult;
  execution?: Execution;
  sim: SimModel;
}

export interface SimulateOptions {
  board: Board;
  /** Boards to suggest when the model does not fit (the catalog). */
  candidates?: Board[];
  profile?: ProfileId;
  /** Run the model in the WASM runtime (default true). */
  execute?: boolean;
  input?: Uint8Array;
  rateHz?: number;
  battery?: Battery;
  /** Stack bytes the firmware reserves (`simulate --stack`, as `build --stack`): replaces the estimate in the plain
   * figure and the 16 KiB of the slot firmware's. */
  stackBytes?: number;
}

/** The smallest-SRAM real board on which the model fits, if any. */
export function suggestBoard(model: SimModel, current: Board, candidates: Board[], profile: ProfileId, stackBytes?: number): Board | undefined {
  return candidates
    .filter((b) => b.id !== current.id && !b.virtual && accountMemory(model, b, profile, { stackBytes }).fits)
    .sort((a, b) => sramBudget(a) - sramBudget(b) || a.id.localeCompare(b.id))[0];
}

/** Input used when the user gives none: every element at its zero point (a real-valued zero). */
export function zeroPointInput(blob: BlobModel): Uint8Array[] {
  return blob.inputs.map((t) => {
    const buf = new Uint8Array(t.bytes);
    if (t.zeroPoint !== undefined && (t.dtype === 'int8' || t.dtype === 'uint8')) buf.fill(t.zeroPoint & 0xff);
    return buf;
  });
}

function execute(blob: BlobModel, board: Board, input: Uint8Array | undefined, simulatedMs: number): Execution {
  // Device memory splits into flash (constants) and SRAM (arena); the WASM memory holds both, plus the
  // kernel module's own data: the runtime's own limit is their sum, our exact check has already passed.
  const maxMemoryBytes = flashBudget(board) + sramBudget(board) + 1024 * 1024;
  const rt = Runtime.create(blob, { maxMemoryBytes });
  const inputs = input ?? zeroPointInput(blob);
  let outputs = rt.invoke(inputs);
  let runs = 0;
  const t0 = performance.now();
  // Repeat for a stable figure: at least 3 runs and 100 ms of host time (bounded at 1000 runs).
  do {
    outputs = rt.invoke(inputs);
    runs++;
  } while ((runs < 3 || performance.now() - t0 < 100) && runs < 1000);
  const hostMsPerInference = (performance.now() - t0) / runs;
  const signed = (o: Uint8Array, i: number) => (rt.outputs[i].dtype === 'int8' ? Array.from(new Int8Array(o.buffer, o.byteOffset, o.length)) : Array.from(o));
  return { hostMsPerInference, runs, speedup: simulatedMs / hostMsPerInference, outputs: outputs.map(signed) };
}

export function simulate(blob: BlobModel, compiled: CompiledModel | undefined, opts: SimulateOptions): SimulationResult {
  const { board } = opts;
  const profile = opts.profile ?? 'tinyforge';
  const model = simModel(blob, compiled);
  const memory = accountMemory(model, board, profile, { stackBytes: opts.stackBytes });
  const ctx = { board, profile, arenaIn: memory.arenaIn };

  const layers: LayerResult[] = model.steps.map((s) => {
    const c = stepCost(s, ctx);
    const us = (c.cycles / board.clockHz) * 1e6;
    return {
      step: s.step, opIndex: s.opIndex, opType: s.opType, kernel: s.kernel, kernelClass: s.kernelClass,
      macs: s.macs, instructions: Math.round(c.instructions), cycles: c.cycles,
      stallCycles: Math.round(c.flashStallCycles + c.psramStallCycles), us,
      energyUj: board.power ? activeEnergyUj(board.power, us) : null,
      liveBytes: model.liveBytes[s.step] ?? 0,
      cyclesPerInstruction: c.cyclesPerInstruction,
      cycleModel: c.cpiFrom,
    };
  });
  const sum = (f: (l: LayerResult) => number) => layers.reduce((n, l) => n + f(l), 0);
  const cycles = sum((l) => l.cycles);
  const latencyMs = (cycles / board.clockHz) * 1000;
  const totals = {
    macs: sum((l) => l.macs),
    instructions: sum((l) => l.instructions),
    cycles,
    latencyMs,
    energyUj: board.power ? sum((l) => l.energyUj!) : null,
  };

  const result: SimulationResult = {
    board: { id: board.id, name: board.name, core: board.core, clockHz: board.clockHz },
    model: model.name, profile, fits: memory.fits, memory, layers, totals, sim: model,
  };
  if (!memory.fits) {
    const other = suggestBoard(model, board, opts.candidates ?? [], profile, opts.stackBytes);
    result.suggestedBoard = other?.id;
    result.refusal = `does not fit ${board.id}: ${memory.problems.join('; ')}; ${other ? `try --board ${other.id} or a smaller model` : 'no board in the catalog fits it: try a smaller model'}`;
    return result;
  }
  if (opts.rateHz !== undefined && board.power) result.duty = dutyCycle(latencyMs, board.power, opts.rateHz, opts.battery);
  if (opts.execute !== false) result.execution = execute(blob, board, opts.input, latencyMs);
  return result;
}
