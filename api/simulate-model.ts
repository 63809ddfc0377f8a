// The body of the library's `simulate()`, for a model already opened (open-model.ts): a board of the catalog (or
// one's own board object) — does it fit, how long does one inference take, what does it cost — exactly as
// `tinyforge simulate` reports it. Reads no file: Node's `simulate()` and the page's both end here.
import type { ProfileId } from '../simulator/cost/cost-data.ts';
import type { Battery } from '../simulator/energy.ts';
import { simulate as simulateOnBoard, type SimulationResult } from '../simulator/simulate.ts';
import type { Board } from '../targets/boards/board-schema.ts';
import { loadAllBoards, loadBoard } from '../targets/boards/load-board.ts';
import type { OpenedModel } from './open-model.ts';

export interface SimulateOptions {
  /** A board id from `tinyforge boards`, or a board object (`loadBoardFile()`). */
  board: string | Board;
  /** Which kernels the estimate stands for (default: tinyforge's own). */
  kernels?: ProfileId;
  /** Raw input bytes to run (default: the input's zero point). */
  input?: Uint8Array;
  /** Run the model in the WASM runtime as well as costing it (default true). */
  execute?: boolean;
  /** Inferences per second, for the duty cycle and, with `battery`, the battery life. */
  rateHz?: number;
  battery?: Battery;
  /** The stack the firmware reserves (`tinyforge simulate --stack`, as `build --stack` links it), in place of the
   * estimate and of the slot firmware's 16 KiB. */
  stackBytes?: number;
}

export function simulateModel({ blob, compiled }: OpenedModel, options: SimulateOptions): SimulationResult {
  const board = typeof options.board === 'string' ? loadBoard(options.board) : options.board;
  return simulateOnBoard(blob, compiled, {
    board,
    candidates: loadAllBoards(),
    ...(options.kernels ? { profile: options.kernels } : {}),
    execute: options.execute ?? true,
    ...(options.input ? { input: options.input } : {}),
    ...(options.rateHz !== undefined ? { rateHz: options.rateHz } : {}),
    ...(options.battery ? { battery: options.battery } : {}),
    ...(options.stackBytes !== undefined ? { stackBytes: options.stackBytes } : {}),
  });
}
