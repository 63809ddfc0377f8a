// Reads board files: the catalog next to this file (`loadBoard(id)`) or any user file (`loadBoardFile(path)`).
// The page's bundle takes load-board.browser.ts, which holds the catalog.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Board } from './board-schema.ts';
import { BoardFileError, misnamedCatalogFile, parseBoard, unknownBoard } from './parse-board.ts';

export { BoardFileError, parseBoard } from './parse-board.ts';

export const BOARDS_DIR = dirname(fileURLToPath(import.meta.url));

export function loadBoardFile(path: string): Board {
  if (!existsSync(path)) throw new BoardFileError(`board file ${path} does not exist`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BoardFileError(`board file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  const board = parseBoard(json, path);
  const stem = basename(path, '.json');
  if (dirname(path) === BOARDS_DIR && stem !== board.id) {
    throw misnamedCatalogFile(path, board);
  }
  return board;
}

/** Ids of the catalog's boards, sorted. */
export function listBoards(): string[] {
  return readdirSync(BOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

export function loadBoard(id: string): Board {
  const path = join(BOARDS_DIR, `${id}.json`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id) || !existsSync(path)) {
    throw unknownBoard(id, listBoards());
  }
  return loadBoardFile(path);
}

export function loadAllBoards(): Board[] {
  return listBoards().map(loadBoard);
}

export type { Board };
