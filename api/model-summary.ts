// A model's graph as `tinyforge inspect` shows it (and the playground's graph table): ops in execution order with
// shapes, quantization, parameters and MACs, the tensors, and totals — weights, MACs, the arena and where it peaks.
import { compileGraph, type CompiledModel } from '../compiler/compile-model.ts';
import { opMacs } from '../compiler/ir/macs.ts';
import { planArena, type ArenaPlan } from '../compiler/plan/arena-plan.ts';
import { elementCount, tensorBytes, type Graph, type Tensor } from '../formats/ir/graph.ts';

export interface ModelSummary {
  name: string;
  ops: {
    index: number;
    type: string;
    inputs: number[];
    outputs: number[];
    macs: number;
    params: number;
    inputShapes: number[][];
    outputShapes: number[][];
    kernels: string[];
  }[];
  tensors: {
    index: number;
    name: string;
    shape: number[];
    dtype: string;
    bytes: number;
    constant: boolean;
    scale?: number | number[];
    zeroPoint?: number | number[];
    quantizedDimension?: number;
    arenaOffset?: number;
  }[];
  totals: {
    macs: number;
    weightBytes: number;
    params: number;
    arenaBytes: number;
    /** The kernel-call step and op at which the arena is fullest. */
    peak: { step: number; opIndex: number; opType: string; bytes: number };
    /** False when some op has no int8 kernel: the arena then counts activations only. */
    runnable: boolean;
  };
}

function quantFields(t: Tensor) {
  if (!t.quant) return {};
  const perAxis = t.quant.scale.length > 1;
  return perAxis
    ? { scale: t.quant.scale, zeroPoint: t.quant.zeroPoint, quantizedDimension: t.quant.axis }
    : { scale: t.quant.scale[0], zeroPoint: t.quant.zeroPoint[0] };
}

export function summarize(graph: Graph): ModelSummary {
  let compiled: CompiledModel | undefined;
  let plan: ArenaPlan;
  let order: { opIndex: number; kernel?: string }[];
  try {
    compiled = compileGraph(graph);
    plan = compiled.plan;
    order = compiled.prepared.map((p) => ({ opIndex: p.opIndex, kernel: p.layout.name }));
  } catch (err) {
    if (!(err instanceof Error) || !['CompileError', 'PrepareError'].includes(err.name)) throw err;
    // Not runnable in int8 (a float model, say): still plan its activations, one step per op.
    order = graph.ops.map((op) => ({ opIndex: op.index }));
    plan = planArena(graph, order.map((s) => ({ opIndex: s.opIndex, scratchBytes: 0 })));
  }
  const arenaOffset = new Map(plan.tensors.map((t) => [t.tensor, t.offset]));
  const ops = graph.ops.map((op) => {
    const params = op.inputs.filter((t) => t >= 0 && graph.tensors[t].data).reduce((n, t) => n + elementCount(graph.tensors[t].shape), 0);
    return {
      index: op.index,
      type: op.type,
      inputs: op.inputs,
      outputs: op.outputs,
      macs: opMacs(graph, op),
      params,
      inputShapes: op.inputs.filter((t) => t >= 0).map((t) => graph.tensors[t].shape),
      outputShapes: op.outputs.map((t) => graph.tensors[t].shape),
      kernels: order.filter((s) => s.opIndex === op.index && s.kernel).map((s) => s.kernel!),
    };
  });
  const tensors = graph.tensors.map((t) => ({
    index: t.id,
    name: t.name,
    shape: t.shape,
    dtype: t.dtype,
    bytes: tensorBytes(t),
    constant: t.data !== undefined,
    ...quantFields(t),
    ...(arenaOffset.has(t.id) ? { arenaOffset: arenaOffset.get(t.id) } : {}),
  }));
  const peakOp = graph.ops.find((o) => o.index === order[plan.peak.step]?.opIndex);
  return {
    name: graph.name,
    ops,
    tensors,
    totals: {
      macs: ops.reduce((n, o) => n + o.macs, 0),
      weightBytes: graph.tensors.filter((t) => t.data).reduce((n, t) => n + t.data!.length, 0),
      params: ops.reduce((n, o) => n + o.params, 0),
      arenaBytes: plan.arenaBytes,
      peak: { step: plan.peak.step, opIndex: peakOp?.index ?? -1, opType: peakOp?.type ?? '', bytes: plan.peak.bytes },
      runnable: compiled !== undefined,
    },
  };
}
