// Drops tensors no op, graph input or graph output refers to, and renumbers the rest so that
// `tensors[id].id === id` again. Passes leave orphans behind (folded BatchNorm parameters, ...).
import type { Graph, Op } from '../../formats/ir/graph.ts';

export function compactGraph(graph: Graph): Graph {
  const used = new Set<number>([...graph.inputs, ...graph.outputs]);
  for (const op of graph.ops) for (const t of [...op.inputs, ...op.outputs]) if (t >= 0) used.add(t);
  const newId = new Map<number, number>();
  const tensors = graph.tensors.filter((t) => used.has(t.id)).map((t, i) => {
    newId.set(t.id, i);
    return { ...t, id: i };
  });
  const map = (t: number) => (t < 0 ? t : newId.get(t)!);
  const ops: Op[] = graph.ops.map((op, index) => ({ ...op, index, inputs: op.inputs.map(map), outputs: op.outputs.map(map) }));
  return { ...graph, tensors, ops, inputs: graph.inputs.map(map), outputs: graph.outputs.map(map) };
}

/** Ops reading each tensor, by tensor id. */
export function consumersOf(graph: Graph): Map<number, Op[]> {
  const m = new Map<number, Op[]>();
  for (const op of graph.ops) {
    for (const t of new Set(op.inputs)) {
      if (t < 0) continue;
      const list = m.get(t) ?? [];
      list.push(op);
      m.set(t, list);
    }
  }
  return m;
}

/** The op writing each tensor, by tensor id. */
export function producersOf(graph: Graph): Map<number, Op> {
  const m = new Map<number, Op>();
  for (const op of graph.ops) for (const t of op.outputs) m.set(t, op);
  return m;
}
