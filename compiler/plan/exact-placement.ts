// The smallest arena for a set of buffers with fixed lifetimes, by search: first-fit over every
// placement order, pruned by the best height found so far.
//
// Why first-fit over orders is exact: take an optimal placement and place the buffers in order of
// their optimal offsets. Each buffer j placed earlier that lives at the same time as buffer i sits at
// or below its optimal offset, and in the optimal placement ends at or below i's optimal offset; so i's
// optimal offset is free when i's turn comes, and first-fit puts i there or lower. By induction the
// height is at most the optimum.
import type { LiveBuffer } from './lifetimes.ts';
import { firstFitOffset, placeFirstFitBySize, placementHeight } from './greedy-placement.ts';

type Interval = Pick<LiveBuffer, 'bytes' | 'firstStep' | 'lastStep'>;

/** Past this many buffers the search is not tried (n! orders before pruning). */
export const EXACT_PLACEMENT_MAX_BUFFERS = 9;

export function placeOptimally(buffers: Interval[]): number[] {
  let best = placeFirstFitBySize(buffers);
  let bestHeight = placementHeight(buffers, best);
  // No placement is lower than the bytes alive at the busiest step.
  const floor = liveFloor(buffers);
  if (bestHeight <= floor) return best;
  const offsets = new Array<number>(buffers.length).fill(-1);
  const placed: number[] = [];
  const used = new Array<boolean>(buffers.length).fill(false);
  const search = (height: number): boolean => {
    if (placed.length === buffers.length) {
      if (height < bestHeight) {
        bestHeight = height;
        best = offsets.slice();
      }
      return bestHeight <= floor;
    }
    for (let i = 0; i < buffers.length; i++) {
      if (used[i]) continue;
      const at = firstFitOffset(buffers, placed, offsets, i);
      const h = Math.max(height, at + buffers[i].bytes);
      if (h >= bestHeight) continue;
      used[i] = true;
      offsets[i] = at;
      placed.push(i);
      const done = search(h);
      placed.pop();
      offsets[i] = -1;
      used[i] = false;
      if (done) return true;
    }
    return false;
  };
  search(0);
  return best;
}

/** The largest sum of bytes of buffers alive at one step: a lower bound on any placement's height. */
export function liveFloor(buffers: Interval[]): number {
  const steps = new Set(buffers.map((b) => b.firstStep));
  let floor = 0;
  for (const s of steps) {
    let sum = 0;
    for (const b of buffers) if (b.firstStep <= s && s <= b.lastStep) sum += b.bytes;
    floor = Math.max(floor, sum);
  }
  return floor;
}
