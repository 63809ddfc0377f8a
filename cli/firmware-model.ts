// What `build` and `export` share before any C is written: the model from a .tflite or compiled folder, its
// self-test vectors, the simulator's size prediction and budget check for the board, and the stack to reserve.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { compileTflite, type CompiledModel } from '../compiler/compile-model.ts';
import { writeBlob } from '../compiler/emit/blob/write-blob.ts';
import { readBlob } from '../runtime-as/host/read-blob.ts';
import { accountMemory } from '../simulator/memory-budget.ts';
import { simModel } from '../simulator/sim-model.ts';
import type { Board } from '../targets/boards/board-schema.ts';
import { loadBoard } from '../targets/boards/load-board.ts';
import type { FirmwareTarget } from '../targets/firmware/firmware-targets.ts';
import type { SizePrediction } from '../targets/firmware/size-report.ts';
import { BUILD_STACK_MARGIN, measuredStackBytes } from '../targets/firmware/stack-estimate.ts';
import { CliError, EXIT } from './cli-error.ts';

/** Board in the simulator's catalog whose memory and core stand for a firmware target. */
const SIMULATED_AS: Record<string, string> = { 'qemu-riscv32': 'esp32-c3-devkitm' };

export function loadCompiled(path: string): { compiled: CompiledModel; name: string } {
  if (!existsSync(path)) throw new CliError(`no such file or folder: ${path}`, EXIT.badInput);
  let file = path;
  if (statSync(path).isDirectory()) {
    file = join(path, 'model_int8.tflite');
    if (!existsSync(file)) {
      throw new CliError(`${path} has no model_int8.tflite; C generation needs the int8 .tflite (a blob alone holds no graph for C generation)`, EXIT.badInput);
    }
  } else if (extname(path).toLowerCase() !== '.tflite') {
    throw new CliError(`${path}: takes an int8 .tflite or a compiled folder holding model_int8.tflite`, EXIT.badInput);
  }
  // A compiled folder names the model (its file is always model_int8.tflite).
  const name = file === path ? basename(file, extname(file)) : basename(resolve(path));
  return { compiled: compileTflite(new Uint8Array(readFileSync(file)), name), name };
}

export { selftestVectors } from '../api/selftest-blob.ts';

/** The simulator's sizes for the firmware on `board` (an id of the catalog, or a board object from --board-file). */
export function predictSizes(compiled: CompiledModel, boardOrId: string | Board): (SizePrediction & { stack: number; problems: string[] }) | undefined {
  const id = typeof boardOrId === 'string' ? boardOrId : boardOrId.id;
  let board: Board;
  try {
    board = SIMULATED_AS[id] ? loadBoard(SIMULATED_AS[id]) : typeof boardOrId === 'string' ? loadBoard(id) : boardOrId;
  } catch {
    return undefined;
  }
  const m = accountMemory(simModel(readBlob(writeBlob(compiled)), compiled), board, 'tinyforge');
  return { modelFlash: m.flash.weights + m.flash.prepareParams, code: m.flash.runtimeCode, ram: m.sram.used, stack: m.sram.stack, problems: m.problems };
}

/** The simulator's budget check first: a model that cannot fit is refused with its numbers (exit 3), not by the linker. */
export function refuseIfOverBudget(
  verb: string, compiled: CompiledModel, name: string, board: Board, opts: { positionals: string[]; 'board-file'?: string | undefined },
): ReturnType<typeof predictSizes> {
  const prediction = predictSizes(compiled, board);
  if (prediction && prediction.problems.length > 0) {
    throw new CliError(`tinyforge ${verb}: ${name} does not fit ${board.id}: ${prediction.problems.join('; ')} ('tinyforge simulate ${basename(opts.positionals[0]!)} ${opts['board-file'] ? `--board-file ${opts['board-file']}` : `--board ${board.id}`}' shows the budget, 'tinyforge boards' the boards)`, EXIT.doesNotFit);
  }
  return prediction;
}

/** The simulator's stack estimate plus a margin, and never less than what was measured for these kernels. */
export function firmwareStackBytes(compiled: CompiledModel, target: FirmwareTarget, prediction: ReturnType<typeof predictSizes>): number {
  const kernels = [...new Set(compiled.prepared.map((p) => p.layout.name))];
  return Math.ceil(Math.max((prediction?.stack ?? 1024) + BUILD_STACK_MARGIN, measuredStackBytes(target.arch, kernels) + 256) / 16) * 16;
}
