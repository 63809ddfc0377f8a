// Buffer lifetimes from the execution order, with in-place sharing: a reshape's output, and an
// element-wise op's output whose same-sized input dies at that op, reuse the input's bytes; a
// row-streaming kernel's output (chosen steps only) starts a safe margin below its dying input.
import { tensorBytes, type Graph } from '../../formats/ir/graph.ts';
import type { OpType } from '../../formats/ir/op-types.ts';
import type { PreparedOp } from '../prepare/kernel-layout.ts';
import { rowStreamMargin } from './row-stream-margin.ts';

export interface LiveBuffer {
  kind: 'tensors' | 'scratch';
  /** Tensor ids sharing this buffer (first is the root); empty for scratch. */
  tensors: number[];
  tensorBytes: number[];
  /** Where each tensor starts inside the buffer (0 unless a row-streaming output overlaps its input). */
  tensorOffsets: number[];
  bytes: number;
  firstStep: number;
  lastStep: number;
}

/** Ops whose kernels may write their output over an input of the same size (read i, then write i). */
const IN_PLACE_OPS: ReadonlySet<OpType> = new Set<OpType>([
  'ADD', 'MUL', 'RELU', 'RELU6', 'LOGISTIC', 'TANH', 'HARD_SWISH', 'QUANTIZE', 'SOFTMAX',
]);

export function isActivation(graph: Graph, id: number): boolean {
  return id >= 0 && graph.tensors[id] !== undefined && graph.tensors[id].data === undefined;
}

export function liveBuffers(
  graph: Graph,
  prepared: Pick<PreparedOp, 'opIndex' | 'scratchBytes' | 'rowStream'>[],
  overlapSteps: ReadonlySet<number> = new Set(),
): LiveBuffer[] {
  const steps = prepared.length;
  const opSteps = new Map<number, { first: number; last: number }>();
  prepared.forEach((p, s) => {
    const r = opSteps.get(p.opIndex);
    if (r) r.last = s;
    else opSteps.set(p.opIndex, { first: s, last: s });
  });
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const touch = (t: number, s: number) => {
    if (!isActivation(graph, t)) return;
    first.set(t, Math.min(first.get(t) ?? Infinity, s));
    last.set(t, Math.max(last.get(t) ?? -Infinity, s));
  };
  for (const t of graph.inputs) touch(t, 0);
  const ops = graph.ops.filter((op) => opSteps.has(op.index));
  for (const op of ops) {
    const { first: f, last: l } = opSteps.get(op.index)!;
    for (const t of op.outputs) touch(t, f);
    for (const t of op.inputs) touch(t, l);
  }
  for (const t of graph.outputs) touch(t, steps - 1);

  // Union-find over tensors that share bytes; rel is a tensor's start relative to its root's.
  const parent = new Map<number, number>();
  const rel = new Map<number, number>();
  const relOf = (t: number): number => rel.get(t) ?? 0;
  const join = (out: number, input: number, delta: number) => {
    parent.set(out, find(input));
    rel.set(out, relOf(input) + delta);
  };
  const find = (t: number): number => {
    let r = t;
    while (parent.has(r)) r = parent.get(r)!;
    return r;
  };
  const graphOutputs = new Set(graph.outputs);
  const groupLast = (root: number) => {
    let l = -Infinity;
    for (const t of first.keys()) if (find(t) === root) l = Math.max(l, last.get(t)!);
    return l;
  };
  for (const op of ops) {
    const out = op.outputs[0];
    if (op.outputs.length !== 1 || !isActivation(graph, out)) continue;
    const outBytes = tensorBytes(graph.tensors[out]);
    const { last: l } = opSteps.get(op.index)!;
    if (op.type === 'RESHAPE') {
      const input = op.inputs[0];
      if (isActivation(graph, input) && tensorBytes(graph.tensors[input]) === outBytes) join(out, input, 0);
      continue;
    }
    const dies = (input: number) => {
      const root = find(input);
      // Only when nothing reads the input's bytes after this op, and they are not a graph output.
      return groupLast(root) === l && ![...first.keys()].some((t) => find(t) === root && graphOutputs.has(t));
    };
    const { first: f } = opSteps.get(op.index)!;
    const stream = f === l && overlapSteps.has(l) ? prepared[l].rowStream : undefined;
    if (stream && stream.output === out && isActivation(graph, stream.input) && dies(stream.input)) {
      join(out, stream.input, -rowStreamMargin(stream));
      continue;
    }
    if (!IN_PLACE_OPS.has(op.type)) continue;
    for (const input of op.inputs) {
      if (!isActivation(graph, input) || graph.tensors[input].dtype !== graph.tensors[out].dtype) continue;
      if (tensorBytes(graph.tensors[input]) !== outBytes) continue;
      if (!dies(input)) continue;
      join(out, input, 0);
      break;
    }
  }

  const groups = new Map<number, LiveBuffer>();
  for (const t of [...first.keys()].sort((a, b) => a - b)) {
    const root = find(t);
    const bytes = tensorBytes(graph.tensors[t]);
    let g = groups.get(root);
    if (!g) {
      g = { kind: 'tensors', tensors: [], tensorBytes: [], tensorOffsets: [], bytes: 0, firstStep: Infinity, lastStep: -Infinity };
      groups.set(root, g);
    }
    const at = t === root ? 0 : relOf(t);
    if (t === root) {
      g.tensors.unshift(t);
      g.tensorBytes.unshift(bytes);
      g.tensorOffsets.unshift(at);
    } else {
      g.tensors.push(t);
      g.tensorBytes.push(bytes);
      g.tensorOffsets.push(at);
    }
    g.firstStep = Math.min(g.firstStep, first.get(t)!);
    g.lastStep = Math.max(g.lastStep, last.get(t)!);
  }
  // Overlap margins are negative offsets from the root: shift every group to start at 0.
  for (const g of groups.values()) {
    const low = Math.min(...g.tensorOffsets);
    g.tensorOffsets = g.tensorOffsets.map((o) => o - low);
    g.bytes = Math.max(...g.tensorOffsets.map((o, k) => o + g.tensorBytes[k]));
  }
  const buffers = [...groups.values()];
  prepared.forEach((p, s) => {
    if (p.scratchBytes > 0) {
      buffers.push({ kind: 'scratch', tensors: [], tensorBytes: [], tensorOffsets: [], bytes: p.scratchBytes, firstStep: s, lastStep: s });
    }
  });
  return buffers;
}
