/// <reference types="vite/client" />
// The board catalog in a browser: the bundler inlines every catalog file (import.meta.glob), each checked by the
// same schema as on Node (load-board.ts). A user's own board comes in as JSON through parseBoard().
import type { Board } from './board-schema.ts';
import { misnamedCatalogFile, parseBoard, unknownBoard } from './parse-board.ts';

export { BoardFileError, parseBoard } from './parse-board.ts';

const files = import.meta.glob<unknown>('./*.json', { eager: true, import: 'default' });
const catalog = new Map(Object.entries(files).map(([path, json]) => [path.replace(/^\.\/|\.json$/g, ''), json]));

export function listBoards(): string[] {
  return [...catalog.keys()].sort();
}

export function loadBoard(id: string): Board {
  if (!catalog.has(id)) throw unknownBoard(id, listBoards());
  const origin = `targets/boards/${id}.json`;
  const board = parseBoard(catalog.get(id), origin);
  if (board.id !== id) throw misnamedCatalogFile(origin, board);
  return board;
}

export function loadAllBoards(): Board[] {
  return listBoards().map(loadBoard);
}
