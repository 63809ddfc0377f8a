// Removes ops that pass their input through unchanged at inference: IDENTITY (Dropout and the
// like) and RESHAPEs whose output shape equals their input shape.
import type { Graph } from '../../formats/ir/graph.ts';
import { compactGraph } from '../ir/compact-graph.ts';
import type { GraphPass } from './graph-pass.ts';

export const dropIdentity: GraphPass = {
  name: 'drop-identity',
  description: 'remove Dropout/identity ops and reshapes that keep the shape',
  run(graph: Graph): Graph {
    const rename = new Map<number, number>();
    const resolve = (t: number): number => (rename.has(t) ? resolve(rename.get(t)!) : t);
    const outputs = new Set(graph.outputs);
    const inputs = new Set(graph.inputs);
    const ops = graph.ops.filter((op) => {
      const src = resolve(op.inputs[0]!);
      const out = op.outputs[0]!;
      const same = op.type === 'IDENTITY' ||
        (op.type === 'RESHAPE' && sameShape(graph.tensors[src]!.shape, graph.tensors[out]!.shape));
      // A graph output fed straight by a graph input has to stay an op.
      if (!same || (outputs.has(out) && inputs.has(src))) return true;
      rename.set(out, src);
      return false;
    });
    if (ops.length === graph.ops.length) return graph;
    return compactGraph({
      ...graph,
      ops: ops.map((op) => ({ ...op, inputs: op.inputs.map((t) => (t < 0 ? t : resolve(t))) })),
      outputs: graph.outputs.map(resolve),
    });
  },
};

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
