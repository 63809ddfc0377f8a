// The arena plan: where every activation tensor and scratch buffer lives, and when.
// A "step" is one kernel call (a PreparedOp) in execution order.
import type { Graph } from '../../formats/ir/graph.ts';
import type { PreparedOp } from '../prepare/kernel-layout.ts';

/** What the planner needs of a kernel call. */
export type PlanStep = Pick<PreparedOp, 'opIndex' | 'scratchBytes' | 'rowStream'>;
import { liveBuffers } from './lifetimes.ts';
import { placeFirstFitBySize } from './greedy-placement.ts';
import { EXACT_PLACEMENT_MAX_BUFFERS, placeOptimally } from './exact-placement.ts';
import { alignUp } from './alignment.ts';

export { ARENA_ALIGNMENT, alignUp } from './alignment.ts';

export interface TensorPlacement {
  tensor: number;
  offset: number;
  bytes: number;
  firstStep: number;
  lastStep: number;
  /** Set when this tensor shares its bytes with another (in-place op or reshape). */
  aliasOf?: number;
  /** Set when this tensor partly overlaps another's bytes (a row-streaming kernel's output over its input). */
  overlapsWith?: number;
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

/** Up to this many row-streaming steps, every subset of overlaps is tried; beyond, one at a time, greedily. */
const EXHAUSTIVE_OVERLAP_STEPS = 8;

/**
 * Plans the arena for kernel calls already in execution order. Row-streaming kernels (prepare sets
 * `rowStream`) may write their output over the tail of their dying input; which of them do is chosen
 * by planning with and without and keeping the smallest arena, since an overlapped pair is one buffer
 * for both lifetimes and can cost more elsewhere than it saves at its own step. The chosen buffers are
 * then placed exactly (exact-placement.ts) when there are few enough of them, greedily by size otherwise.
 */
export function planArena(graph: Graph, prepared: PlanStep[]): ArenaPlan {
  const candidates = prepared.flatMap((p, s) => (p.rowStream ? [s] : []));
  let best = planWithOverlaps(graph, prepared, new Set());
  if (candidates.length <= EXHAUSTIVE_OVERLAP_STEPS) {
    for (let mask = 1; mask < 1 << candidates.length; mask++) {
      const plan = planWithOverlaps(graph, prepared, new Set(candidates.filter((_, i) => mask & (1 << i))));
      if (plan.arenaBytes < best.arenaBytes) best = plan;
    }
    return placedExactly(graph, prepared, best);
  }
  let chosen = new Set<number>();
  for (const s of candidates) {
    const trial = new Set(chosen).add(s);
    const plan = planWithOverlaps(graph, prepared, trial);
    if (plan.arenaBytes < best.arenaBytes) {
      best = plan;
      chosen = trial;
    }
  }
  return placedExactly(graph, prepared, best);
}

interface Chosen extends ArenaPlan {
  overlapSteps: ReadonlySet<number>;
}

function placedExactly(graph: Graph, prepared: PlanStep[], plan: Chosen): ArenaPlan {
  const exact = planWithOverlaps(graph, prepared, plan.overlapSteps, true);
  const { overlapSteps: _, ...result } = exact.arenaBytes < plan.arenaBytes ? exact : plan;
  return result;
}

function planWithOverlaps(graph: Graph, prepared: PlanStep[], overlapSteps: ReadonlySet<number>, exact = false): Chosen {
  const buffers = liveBuffers(graph, prepared, overlapSteps);
  const offsets = exact && buffers.length <= EXACT_PLACEMENT_MAX_BUFFERS ? placeOptimally(buffers) : placeFirstFitBySize(buffers);
  const tensors: TensorPlacement[] = [];
  const scratch: ScratchPlacement[] = [];
  buffers.forEach((b, i) => {
    if (b.kind === 'scratch') {
      scratch.push({ step: b.firstStep, offset: offsets[i], bytes: b.bytes });
    } else {
      b.tensors.forEach((t, k) => {
        const shared = k > 0 ? (b.tensorOffsets[k] === b.tensorOffsets[0] ? { aliasOf: b.tensors[0] } : { overlapsWith: b.tensors[0] }) : {};
        tensors.push({
          tensor: t,
          offset: offsets[i] + b.tensorOffsets[k],
          bytes: b.tensorBytes[k],
          firstStep: b.firstStep,
          lastStep: b.lastStep,
          ...shared,
        });
      });
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
  return { arenaBytes, tensors, scratch, liveBytes, peak: { step: peakStep, bytes: height[peakStep] ?? 0 }, overlapSteps };
}
