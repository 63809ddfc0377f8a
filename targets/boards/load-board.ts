// Reads board files: the catalog next to this file (`loadBoard(id)`) or any user file (`loadBoardFile(path)`).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BoardSchema, type Board } from './board-schema.ts';

export const BOARDS_DIR = dirname(fileURLToPath(import.meta.url));

export class BoardFileError extends Error {
  override name = 'BoardFileError';
}

/** Validates parsed JSON; the message names the file, each bad field's path and what is wrong with it. */
export function parseBoard(json: unknown, origin: string): Board {
  const result = BoardSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new BoardFileError(`invalid board file ${origin}: ${problems.join('; ')}`);
  }
  return result.data;
}

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
    throw new BoardFileError(`board file ${path} has id '${board.id}': catalog files must be named <id>.json`);
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
    throw new BoardFileError(`unknown board '${id}'; known boards: ${listBoards().join(', ')} (or pass --board-file my-board.json)`);
  }
  return loadBoardFile(path);
}

export function loadAllBoards(): Board[] {
  return listBoards().map(loadBoard);
}

export type { Board };
