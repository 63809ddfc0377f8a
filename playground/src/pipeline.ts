// What the page does with a model, in order: int8 compile (the graph and its kernel calls), simulate on a board
// (budgets, per-layer cycles, energy, duty cycle), and one inference in the WASM runtime on an all-zero-point
// input. The automation JSON (`?model=…&board=…`) is a digest of it.
import {
  compile, loadAllBoards, readBlob, run, simulate, summarize, zeroPointInput,
  type Battery, type BlobModel, type Board, type CompileResult, type IoTensor, type ModelSummary, type ProfileId, type SimulationResult,
} from '../../browser.ts';

export interface Analysis {
  name: string;
  tflite: Uint8Array;
  result: CompileResult;
  /** The runtime's view of the compiled model (its inputs and outputs, kernel calls). */
  blob: BlobModel;
  summary: ModelSummary;
  board: Board;
  sim: SimulationResult;
  /** All outputs for the all-zero-point input, concatenated in graph order, int8 outputs as signed values. */
  zeroPointOutput: number[];
  timings: { compileMs: number; simulateMs: number; runMs: number };
}

export interface AnalyseOptions {
  kernels?: ProfileId;
  rateHz?: number;
  battery?: Battery;
}

export function boardById(id: string): Board {
  const board = loadAllBoards().find((b) => b.id === id);
  if (!board) throw new Error(`unknown board '${id}'; known boards: ${loadAllBoards().map((b) => b.id).join(', ')}`);
  return board;
}

/** Output bytes as numbers: int8 tensors signed, anything else byte by byte (as `tinyforge run` writes them). */
export function outputValues(outputs: readonly Uint8Array[], tensors: readonly IoTensor[]): number[] {
  return outputs.flatMap((o, i) => (tensors[i]?.dtype === 'int8' ? Array.from(new Int8Array(o.buffer, o.byteOffset, o.length)) : Array.from(o)));
}

export function analyse(tflite: Uint8Array, name: string, board: Board, options: AnalyseOptions = {}): Analysis {
  const t0 = performance.now();
  const result = compile(tflite, { name });
  const summary = summarize(result.compiled.graph);
  const t1 = performance.now();
  const sim = simulate(result, {
    board, execute: false,
    ...(options.kernels ? { kernels: options.kernels } : {}),
    ...(options.rateHz !== undefined ? { rateHz: options.rateHz } : {}),
    ...(options.battery ? { battery: options.battery } : {}),
  });
  const t2 = performance.now();
  const blob = readBlob(result.blob);
  const outputs = run(result, zeroPointInput(blob));
  const t3 = performance.now();
  return {
    name, tflite, result, blob, summary, board, sim,
    zeroPointOutput: outputValues(outputs, blob.outputs),
    timings: { compileMs: t1 - t0, simulateMs: t2 - t1, runMs: t3 - t2 },
  };
}

/** The URL contract's JSON (issue 17): the same numbers `tinyforge simulate --json` and `tinyforge run` give. */
export function contractJson(a: Analysis) {
  return {
    ops: a.result.compiled.graph.ops.length,
    arenaBytes: a.sim.memory.sram.arena,
    flashBytes: a.sim.memory.flash.used,
    sramBytes: a.sim.memory.sram.used,
    latencyMs: a.sim.totals.latencyMs,
    energyUj: a.sim.totals.energyUj,
    fits: a.sim.fits,
    output: a.zeroPointOutput,
  };
}
