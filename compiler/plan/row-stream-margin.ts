// How far below its dying input a row-streaming kernel's output may start (see prepare/row-stream.ts).
import type { RowStream } from '../prepare/row-stream.ts';
import { alignUp } from './alignment.ts';

/**
 * Bytes from the output's first byte to the input's first byte such that, for every output row r, the
 * end of row r lies at or below the first input row that row r still reads, max(0, r·strideH − padTop).
 * Rounded up to the arena alignment.
 */
export function rowStreamMargin(s: RowStream): number {
  let margin = 0;
  for (let r = 0; r < s.outRows; r++) {
    const firstRead = Math.max(0, r * s.strideH - s.padTop) * s.inRowBytes;
    margin = Math.max(margin, (r + 1) * s.outRowBytes - firstRead);
  }
  return alignUp(margin);
}
