// tinyforge inspect <model> [--json]: ops, shapes, quantization, parameters, MACs, weights and arena.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { importOnnx } from '../../compiler/import/import-onnx.ts';
import { ImportError } from '../../compiler/import/import-error.ts';
import { z } from 'zod';
import { compileGraph, type CompiledModel } from '../../compiler/compile-model.ts';
import { elementCount, tensorBytes, type Graph, type Tensor } from '../../formats/ir/graph.ts';
import { opMacs } from '../../compiler/ir/macs.ts';
import { planArena, type ArenaPlan } from '../../compiler/plan/arena-plan.ts';
import { loadTfliteGraph } from '../../compiler/tflite/read-tflite.ts';
import { resolveModelPath } from '../../api/load-model.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { parseOptions } from '../parse-options.ts';

const HELP = `usage: tinyforge inspect <model.tflite|model.onnx> [--json]
  Lists the ops in execution order with shapes, quantization, parameter count and MACs, then totals:
  weight bytes, MACs, and the arena (activations + scratch) with the op where it peaks.
  An .onnx model is shown as tinyforge imports it (NHWC): float, or int8 with the model's own scales and
  zero points when it is already quantized (QuantizeLinear/DequantizeLinear, QLinearConv, QLinearMatMul).
  example: tinyforge inspect tests/onnx/models/ds-cnn-kws.onnx`;

const Options = z.object({ positionals: z.array(z.string()), json: z.boolean().default(false) });

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

const fmt = (n: number) => n.toLocaleString('en-US');

function quantText(t: ModelSummary['tensors'][number]): string {
  if (t.scale === undefined) return t.dtype;
  if (Array.isArray(t.scale)) return `${t.dtype} per-axis(${t.quantizedDimension}) ×${t.scale.length}`;
  return `${t.dtype} s=${Number(t.scale).toPrecision(4)} zp=${t.zeroPoint}`;
}

function printTable(s: ModelSummary): void {
  const rows = s.ops.map((o) => [
    String(o.index),
    o.type,
    o.inputShapes.map((sh) => `[${sh.join(',')}]`).join(' '),
    o.outputShapes.map((sh) => `[${sh.join(',')}]`).join(' '),
    o.outputs.map((t) => quantText(s.tensors[t])).join(' '),
    fmt(o.params),
    fmt(o.macs),
  ]);
  const header = ['#', 'op', 'inputs', 'output', 'output quantization', 'params', 'MACs'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((v, c) => (c >= 5 ? v.padStart(widths[c]) : v.padEnd(widths[c]))).join('  ');
  console.log(`model ${s.name}: ${s.ops.length} ops, ${s.tensors.length} tensors`);
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  const t = s.totals;
  console.log(`total MACs     ${fmt(t.macs)}`);
  console.log(`weights        ${fmt(t.weightBytes)} B (${fmt(t.params)} parameters)`);
  console.log(`arena          ${fmt(t.arenaBytes)} B, peak ${fmt(t.peak.bytes)} B at op ${t.peak.opIndex} ${t.peak.opType}${t.runnable ? '' : ' (activations only: some ops have no int8 kernel)'}`);
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return EXIT.ok;
  }
  const opts = parseOptions('inspect', args, { json: { type: 'boolean' } }, Options);
  if (opts.positionals.length !== 1) throw new CliError(`expected one model path\n${HELP}`, EXIT.usage);
  const path = resolveModelPath(opts.positionals[0]);
  const bytes = new Uint8Array(readFileSync(path));
  let graph;
  try {
    graph = extname(path).toLowerCase() === '.onnx' ? importOnnx(bytes, basename(path, extname(path))) : loadTfliteGraph(bytes, basename(path, extname(path)));
  } catch (err) {
    if (err instanceof ImportError) throw new CliError(`tinyforge inspect: ${err.message}`, EXIT.badInput);
    throw err;
  }
  const summary = summarize(graph);
  if (opts.json) console.log(JSON.stringify(summary));
  else printTable(summary);
  return EXIT.ok;
}
