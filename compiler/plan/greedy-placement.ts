// Greedy-by-size first-fit placement (the scheme TFLite Micro's GreedyMemoryPlanner uses):
// largest buffers first, each at the lowest aligned offset that overlaps no buffer alive at the same time.
import type { LiveBuffer } from './lifetimes.ts';
import { alignUp } from './alignment.ts';

type Interval = Pick<LiveBuffer, 'bytes' | 'firstStep' | 'lastStep'>;

export function placeFirstFitBySize(buffers: Interval[]): number[] {
  const order = buffers
    .map((b, i) => i)
    .sort((a, b) => buffers[b].bytes - buffers[a].bytes || buffers[a].firstStep - buffers[b].firstStep || a - b);
  return placeFirstFit(buffers, order);
}

/** Places buffers in the given order, each at the lowest aligned offset clear of the buffers placed before it that live at the same time. */
export function placeFirstFit(buffers: Interval[], order: readonly number[]): number[] {
  const offsets = new Array<number>(buffers.length).fill(-1);
  const placed: number[] = [];
  for (const i of order) {
    offsets[i] = firstFitOffset(buffers, placed, offsets, i);
    placed.push(i);
  }
  return offsets;
}

export function firstFitOffset(buffers: Interval[], placed: readonly number[], offsets: readonly number[], i: number): number {
  const b = buffers[i];
  const conflicts = placed
    .filter((j) => buffers[j].firstStep <= b.lastStep && b.firstStep <= buffers[j].lastStep)
    .sort((x, y) => offsets[x] - offsets[y]);
  let candidate = 0;
  for (const j of conflicts) {
    if (offsets[j] >= candidate + b.bytes) break;
    candidate = Math.max(candidate, alignUp(offsets[j] + buffers[j].bytes));
  }
  return candidate;
}

/** The arena height of a placement. */
export function placementHeight(buffers: Interval[], offsets: readonly number[]): number {
  return Math.max(0, ...buffers.map((b, i) => offsets[i] + b.bytes));
}
