// `--board <id>` / `--board-file <file.json>` for every verb: one catalog (targets/boards/), and what each board can do
// derived from what tinyforge has for it, so `boards` and the verbs never disagree. An unknown board, or one that
// cannot do what the verb asks, ends with exit 64 and the boards that can.
import type { Board } from '../targets/boards/board-schema.ts';
import { BoardFileError, listBoards, loadAllBoards, loadBoard, loadBoardFile } from '../targets/boards/load-board.ts';
import { exportSystemsFor } from '../targets/export/export-systems.ts';
import { ESP_IDF_BOARDS } from '../targets/firmware/esp-idf-component.ts';
import { FIRMWARE_TARGETS } from '../targets/firmware/firmware-targets.ts';
import { QEMU_BOARDS } from '../targets/qemu/run-on-qemu.ts';
import { CliError, EXIT } from './cli-error.ts';

export const BOARD_VERBS = ['simulate', 'build', 'run', 'flash', 'export'] as const;
export type BoardVerb = (typeof BOARD_VERBS)[number];

const WHAT: Record<BoardVerb, string> = {
  simulate: 'simulate', build: 'build firmware (or an ESP-IDF component)', run: 'run models (in QEMU)', flash: 'flash (serial ROM bootloader or SWD probe)',
  export: 'export a CMake, PlatformIO, Arduino or Zephyr project',
};

/** simulate: every board; build: a firmware target or an ESP-IDF board; run: the QEMU boards; flash: a `flash` (serial)
 * or `probe` (SWD) section; export: a board some project system knows (targets/export/export-systems.ts). */
export function boardVerbs(board: Board): BoardVerb[] {
  const verbs: BoardVerb[] = ['simulate'];
  if (FIRMWARE_TARGETS.some((t) => t.id === board.id) || ESP_IDF_BOARDS.includes(board.id)) verbs.push('build');
  if ((QEMU_BOARDS as readonly string[]).includes(board.id)) verbs.push('run');
  if (board.flash || board.probe) verbs.push('flash');
  if (exportSystemsFor(board.id).length > 0) verbs.push('export');
  return verbs;
}

function boardsThat(verb: BoardVerb): string[] {
  return loadAllBoards().filter((b) => boardVerbs(b).includes(verb)).map((b) => b.id);
}

/** The board a verb was given, checked against what the verb needs. */
export function resolveBoard(verb: BoardVerb, opts: { board?: string | undefined; 'board-file'?: string | undefined }): Board {
  if (opts.board !== undefined && opts['board-file'] !== undefined) {
    throw new CliError(`tinyforge ${verb}: give --board or --board-file, not both`, EXIT.usage);
  }
  let board: Board;
  if (opts['board-file'] !== undefined) {
    try {
      board = loadBoardFile(opts['board-file']);
    } catch (err) {
      if (err instanceof BoardFileError) throw new CliError(`tinyforge ${verb}: ${err.message}`, EXIT.badInput);
      throw err;
    }
  } else {
    if (opts.board === undefined) {
      throw new CliError(`tinyforge ${verb}: --board <id> (or --board-file <file.json>) is required; boards that ${WHAT[verb]}: ${boardsThat(verb).join(', ')}`, EXIT.usage);
    }
    if (!listBoards().includes(opts.board)) {
      throw new CliError(`tinyforge ${verb}: unknown board '${opts.board}'; boards that ${WHAT[verb]}: ${boardsThat(verb).join(', ')} ('tinyforge boards' lists them all, or pass --board-file my-board.json)`, EXIT.usage);
    }
    try {
      board = loadBoard(opts.board);
    } catch (err) {
      if (err instanceof BoardFileError) throw new CliError(`tinyforge ${verb}: ${err.message}`, EXIT.badInput);
      throw err;
    }
  }
  const verbs = boardVerbs(board);
  if (!verbs.includes(verb)) {
    throw new CliError(`tinyforge ${verb}: board '${board.id}' can ${verbs.join(', ')}, not ${verb}; boards that ${WHAT[verb]}: ${boardsThat(verb).join(', ')}`, EXIT.usage);
  }
  return board;
}
