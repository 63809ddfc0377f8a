// What the folding passes share: an op merges into the op producing its first input when that
// producer is of a type that can absorb it, has no fused activation yet, and its output feeds
// only this op (and is not a graph output). The producer is replaced, the merged op dropped.
import type { Graph, Op, Tensor } from '../../formats/ir/graph.ts';
import { compactGraph, consumersOf, producersOf } from '../ir/compact-graph.ts';

export interface ProducerMerge {
  /** Whether `op` is a candidate for merging at all. */
  merges(op: Op): boolean;
  /** Producer types that can absorb a candidate. */
  producerTypes: ReadonlySet<string>;
  /** The producer with `op` merged into it (writing `op`'s output), or undefined to leave both. */
  merge(op: Op, producer: Op): Op | undefined;
}

/** The graph with every possible merge done; `tensors` is the (possibly extended) tensor list the merges refer to. */
export function mergeIntoProducers(graph: Graph, rule: ProducerMerge, tensors: Tensor[] = graph.tensors): Graph {
  const producers = producersOf(graph);
  const consumers = consumersOf(graph);
  const outputs = new Set(graph.outputs);
  const replaced = new Map<Op, Op>();
  const dropped = new Set<Op>();
  for (const op of graph.ops) {
    if (!rule.merges(op)) continue;
    const x = op.inputs[0]!;
    const prod = producers.get(x);
    if (!prod || !rule.producerTypes.has(prod.type) || replaced.has(prod)) continue;
    if ((prod.attrs as { activation: string }).activation !== 'NONE') continue;
    if (outputs.has(x) || (consumers.get(x)?.length ?? 0) !== 1) continue;
    const merged = rule.merge(op, prod);
    if (!merged) continue;
    replaced.set(prod, merged);
    dropped.add(op);
  }
  if (dropped.size === 0) return graph;
  const ops = graph.ops.filter((op) => !dropped.has(op)).map((op) => replaced.get(op) ?? op);
  return compactGraph({ ...graph, tensors, ops });
}
