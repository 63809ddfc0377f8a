// tinyforge inspect <model> [--json]: ops, shapes, quantization, parameters, MACs, weights and arena.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { importOnnx } from '../../compiler/import/import-onnx.ts';
import { ImportError } from '../../compiler/import/import-error.ts';
import { z } from 'zod';
import { loadTfliteGraph } from '../../compiler/tflite/read-tflite.ts';
import { resolveModelPath } from '../../api/load-model.ts';
import { summarize, type ModelSummary } from '../../api/model-summary.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { parseOptions } from '../parse-options.ts';

const HELP = `usage: tinyforge inspect <model.tflite|model.onnx> [--json]
  Lists the ops in execution order with shapes, quantization, parameter count and MACs, then totals:
  weight bytes, MACs, and the arena (activations + scratch) with the op where it peaks.
  An .onnx model is shown as tinyforge imports it (NHWC): float, or int8 with the model's own scales and
  zero points when it is already quantized (QuantizeLinear/DequantizeLinear, QLinearConv, QLinearMatMul).
  example: tinyforge inspect tests/onnx/models/ds-cnn-kws.onnx`;

const Options = z.object({ positionals: z.array(z.string()), json: z.boolean().default(false) });

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
