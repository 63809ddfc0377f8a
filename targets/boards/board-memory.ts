// Memory figures derived from a board's regions: what a model may use.
import type { Board, MemoryRegion } from './board-schema.ts';

function regions(board: Board, kind: MemoryRegion['kind']): MemoryRegion[] {
  return board.memory.filter((r) => r.kind === kind && r.use !== 'code');
}

/** Data SRAM a model may use: all data banks minus what the board's software reserves. */
export function sramBudget(board: Board): number {
  return regions(board, 'sram').reduce((n, r) => n + r.bytes, 0) - board.reservedSramBytes;
}

export function flashBudget(board: Board): number {
  return regions(board, 'flash').reduce((n, r) => n + r.bytes, 0);
}

export function psramBytes(board: Board): number {
  return regions(board, 'psram').reduce((n, r) => n + r.bytes, 0);
}

/**
 * The largest run of address-adjacent data SRAM banks: one arena must fit in one such span.
 * The board's reserved bytes are taken from it too (SDKs place their own data in the same banks).
 */
export function largestSramSpan(board: Board): number {
  const banks = regions(board, 'sram').slice().sort((a, b) => a.base - b.base);
  let best = 0;
  let start = 0;
  let end = -1;
  for (const r of banks) {
    if (r.base === end) end += r.bytes;
    else {
      start = r.base;
      end = r.base + r.bytes;
    }
    best = Math.max(best, end - start);
  }
  return Math.max(0, best - board.reservedSramBytes);
}

export function flashRegion(board: Board): MemoryRegion {
  return regions(board, 'flash')[0];
}

export function psramRegion(board: Board): MemoryRegion | undefined {
  return regions(board, 'psram')[0];
}
