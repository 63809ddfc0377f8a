// Greedy-by-size first-fit placement (the scheme TFLite Micro's GreedyMemoryPlanner uses):
// largest buffers first, each at the lowest aligned offset that overlaps no buffer alive at the same time.
import type { LiveBuffer } from './lifetimes.ts';

const ALIGNMENT = 16;

export function placeFirstFitBySize(buffers: LiveBuffer[]): number[] {
  const order = buffers
    .map((b, i) => i)
    .sort((a, b) => buffers[b].bytes - buffers[a].bytes || buffers[a].firstStep - buffers[b].firstStep || a - b);
  const offsets = new Array<number>(buffers.length).fill(-1);
  const placed: number[] = [];
  for (const i of order) {
    const b = buffers[i];
    const conflicts = placed
      .filter((j) => buffers[j].firstStep <= b.lastStep && b.firstStep <= buffers[j].lastStep)
      .sort((x, y) => offsets[x] - offsets[y]);
    let candidate = 0;
    for (const j of conflicts) {
      if (offsets[j] >= candidate + b.bytes) break;
      candidate = Math.max(candidate, Math.ceil((offsets[j] + buffers[j].bytes) / ALIGNMENT) * ALIGNMENT);
    }
    offsets[i] = candidate;
    placed.push(i);
  }
  return offsets;
}
