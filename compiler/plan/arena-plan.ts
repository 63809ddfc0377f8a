// The arena plan: where every activation tensor and scratch buffer lives, and when.
// A "step" is one kernel call (a PreparedOp) in execution order.
import type { Graph } from '../../formats/ir/graph.ts';
import type { PreparedOp } from '../prepare/kernel-layout.ts';

/** What the planner needs of a kernel call. */
export type PlanStep = Pick<PreparedOp, 'opIndex' | 'scratchBytes'>;
import { liveBuffers } from './lifetimes.ts';
import { placeFirstFitBySize } from './greedy-placement.ts';

export const ARENA_ALIGNMENT = 16;

export interface TensorPlacement {
  tensor: number;
  offset: number;
  bytes: number;
  firstStep: number;
  lastStep: number;
  /** Set when this tensor shares its bytes with another (in-place op or reshape). */
  aliasOf?: number;
}

export interface ScratchPlacement {
  step: number;
  offset: number;
  bytes: number;
}

export interface ArenaPlan {
  /** Activations + scratch, a multiple of ARENA_ALIGNMENT. */
  arenaBytes: number;
  tensors: TensorPlacement[];
  scratch: ScratchPlacement[];
  /** Bytes of the buffers alive at each step. */
  liveBytes: number[];
  /** The step whose live buffers reach highest in the arena, and that height. */
  peak: { step: number; bytes: number };
}

export function alignUp(n: number, alignment = ARENA_ALIGNMENT): number {
  return Math.ceil(n / alignment) * alignment;
}

/**
 * Plans the arena for kernel calls already in execution order.
 * `stepOfOp` gives, per IR op index, the first and last step of the calls that implement it.
 */
export function planArena(graph: Graph, prepared: PlanStep[]): ArenaPlan {
  const buffers = liveBuffers(graph, prepared);
  const offsets = placeFirstFitBySize(buffers);
  const tensors: TensorPlacement[] = [];
  const scratch: ScratchPlacement[] = [];
  buffers.forEach((b, i) => {
    if (b.kind === 'scratch') {
      scratch.push({ step: b.firstStep, offset: offsets[i], bytes: b.bytes });
    } else {
      b.tensors.forEach((t, k) =>
        tensors.push({
          tensor: t,
          offset: offsets[i],
          bytes: b.tensorBytes[k],
          firstStep: b.firstStep,
          lastStep: b.lastStep,
          ...(k > 0 ? { aliasOf: b.tensors[0] } : {}),
        }),
      );
    }
  });
  tensors.sort((a, b) => a.tensor - b.tensor);
  const steps = prepared.length;
  const liveBytes = new Array<number>(steps).fill(0);
  const height = new Array<number>(steps).fill(0);
  buffers.forEach((b, i) => {
    for (let s = Math.max(0, b.firstStep); s <= b.lastStep && s < steps; s++) {
      liveBytes[s] += b.bytes;
      height[s] = Math.max(height[s], offsets[i] + b.bytes);
    }
  });
  let peakStep = 0;
  for (let s = 1; s < steps; s++) if (height[s] > height[peakStep]) peakStep = s;
  const arenaBytes = alignUp(Math.max(0, ...buffers.map((b, i) => offsets[i] + b.bytes)));
  return { arenaBytes, tensors, scratch, liveBytes, peak: { step: peakStep, bytes: height[peakStep] ?? 0 } };
}
