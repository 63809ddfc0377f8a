// A board file's JSON → a Board, or an error that names the file and each bad field. Shared by the Node catalog
// (load-board.ts) and the page's (load-board.browser.ts).
import { BoardSchema, type Board } from './board-schema.ts';

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

export function unknownBoard(id: string, known: readonly string[]): BoardFileError {
  return new BoardFileError(`unknown board '${id}'; known boards: ${known.join(', ')} (or pass --board-file my-board.json)`);
}

export function misnamedCatalogFile(origin: string, board: Board): BoardFileError {
  return new BoardFileError(`board file ${origin} has id '${board.id}': catalog files must be named <id>.json`);
}
