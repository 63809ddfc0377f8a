// From an int8 IR graph to everything a runtime needs: kernel calls with their compile-time
// parameters (prepare), in an execution order, with an arena plan.
import type { Graph, Op } from '../formats/ir/graph.ts';
import type { PreparedOp } from './prepare/kernel-layout.ts';
import { PREPARE, type PrepareFn } from './prepare/registry.ts';
import { planArena, type ArenaPlan } from './plan/arena-plan.ts';
import { memoryAwareOrder } from './plan/op-order.ts';
import { loadTfliteGraph } from './tflite/read-tflite.ts';

export interface CompiledModel {
  graph: Graph;
  /** Kernel calls in execution order. */
  prepared: PreparedOp[];
  plan: ArenaPlan;
}

export interface CompileOptions {
  /** Try a memory-aware op order besides the model's own and keep the smaller arena (default true). */
  reorder?: boolean;
}

export class CompileError extends Error {
  override name = 'CompileError';
}

export function compileGraph(graph: Graph, options: CompileOptions = {}): CompiledModel {
  const missing = new Map<string, number>();
  for (const op of graph.ops) if (!PREPARE[op.type]) missing.set(op.type, (missing.get(op.type) ?? 0) + 1);
  if (missing.size > 0) {
    const list = [...missing].map(([t, n]) => `${t} ×${n}`).join(', ');
    throw new CompileError(`no int8 kernel for ${list}; kernels exist for ${Object.keys(PREPARE).sort().join(', ')}`);
  }
  const preparedByOp = new Map<Op, PreparedOp[]>();
  for (const op of graph.ops) preparedByOp.set(op, (PREPARE[op.type] as PrepareFn)(graph, op));

  const orders: Op[][] = [graph.ops];
  if (options.reorder !== false) orders.push(memoryAwareOrder(graph));
  let best: CompiledModel | undefined;
  for (const order of orders) {
    const prepared = order.flatMap((op) => preparedByOp.get(op)!);
    const plan = planArena(graph, prepared);
    if (!best || plan.arenaBytes < best.plan.arenaBytes) best = { graph, prepared, plan };
  }
  return best!;
}

export function compileTflite(bytes: Uint8Array, name?: string, options?: CompileOptions): CompiledModel {
  return compileGraph(loadTfliteGraph(bytes, name), options);
}
