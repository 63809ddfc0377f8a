// A graph pass rewrites a float IR graph before calibration. Passes never mutate their input:
// they return a new graph (tensor data is shared, never written).
import type { Graph } from '../../formats/ir/graph.ts';

export interface GraphPass {
  /** The name `--passes` lists and disables it by. */
  name: string;
  description: string;
  run(graph: Graph): Graph;
}

/** A pass's result with what it changed, for the compile log. */
export interface PassResult {
  name: string;
  opsBefore: number;
  opsAfter: number;
}
