// Execution orders worth trying: the model's own, and a memory-aware topological order that runs
// next whichever ready op grows the live set least (frees the most), which helps branchy graphs.
import { tensorBytes, type Graph, type Op } from '../../formats/ir/graph.ts';
import { isActivation } from './lifetimes.ts';

export function memoryAwareOrder(graph: Graph): Op[] {
  const producer = new Map<number, Op>();
  for (const op of graph.ops) for (const t of op.outputs) producer.set(t, op);
  const consumers = new Map<number, Set<Op>>();
  for (const op of graph.ops) {
    for (const t of op.inputs) {
      if (!isActivation(graph, t)) continue;
      if (!consumers.has(t)) consumers.set(t, new Set());
      consumers.get(t)!.add(op);
    }
  }
  const outputs = new Set(graph.outputs);
  const done = new Set<Op>();
  const remainingUses = new Map<number, number>();
  for (const [t, cs] of consumers) remainingUses.set(t, cs.size);
  const order: Op[] = [];
  const isReady = (op: Op) =>
    op.inputs.every((t) => !isActivation(graph, t) || !producer.has(t) || done.has(producer.get(t)!));
  while (order.length < graph.ops.length) {
    let best: Op | undefined;
    let bestDelta = Infinity;
    for (const op of graph.ops) {
      if (done.has(op) || !isReady(op)) continue;
      let delta = 0;
      for (const t of op.outputs) if (isActivation(graph, t)) delta += tensorBytes(graph.tensors[t]);
      for (const t of new Set(op.inputs)) {
        if (isActivation(graph, t) && !outputs.has(t) && remainingUses.get(t) === 1) delta -= tensorBytes(graph.tensors[t]);
      }
      if (delta < bestDelta || (delta === bestDelta && best && op.index < best.index)) {
        best = op;
        bestDelta = delta;
      }
    }
    if (!best) throw new Error('memoryAwareOrder: the graph has a cycle');
    done.add(best);
    order.push(best);
    for (const t of new Set(best.inputs)) if (remainingUses.has(t)) remainingUses.set(t, remainingUses.get(t)! - 1);
  }
  return order;
}
