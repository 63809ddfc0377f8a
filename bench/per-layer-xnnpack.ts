// Which layers lose to XNNPACK: every op of a corpus model cut out as a one-op int8 .tflite (written by
// tinyforge's own .tflite writer, so XNNPACK runs exactly that layer), then timed in tinyforge (in place) and in
// XNNPACK, alternating in one run. `npx tsx bench/per-layer-xnnpack.ts MODEL` prints one model.
import { compileTflite } from '../compiler/compile-model.ts';
import { emitTflite } from '../compiler/emit/tflite/emit-tflite.ts';
import { writeBlob } from '../compiler/emit/blob/write-blob.ts';
import { Runtime } from '../index.ts';
import { readModel } from '../tests/conformance-corpus.ts';
import { loadXnnpackModel } from '../tests/reference/xnnpack-interpreter.ts';
import { alternate } from './models.ts';

export interface LayerTimes {
  op: number;
  type: string;
  /** The op type, with the filter size for convolutions: the rows of the summary. */
  kind: string;
  outputShape: number[];
  tinyforgeUs: number;
  xnnpackUs: number;
}

const median = (a: Float64Array) => Float64Array.from(a).sort()[a.length >> 1];

export async function benchLayers(name: string, rounds = 300): Promise<LayerTimes[]> {
  const g = compileTflite(readModel(name), name).graph;
  const layers: LayerTimes[] = [];
  for (const op of g.ops) {
    const one = { ...g, name: `${name}_op${op.index}`, ops: [op], inputs: op.inputs.filter((t) => t >= 0 && !g.tensors[t].data), outputs: op.outputs };
    const bytes = emitTflite(one);
    const rt = Runtime.create(writeBlob(compileTflite(bytes, one.name)));
    const x = await loadXnnpackModel(bytes);
    // A fixed pattern, not the model's data: times do not depend on values.
    const inputs = rt.inputs.map((t) => Uint8Array.from({ length: t.bytes }, (_, i) => (i * 37) & 0xff));
    const ours = inputs.map((_, i) => rt.inputView(i));
    const theirs = inputs.map((_, i) => x.inputView(i));
    const t = alternate({
      tinyforge: () => { for (let i = 0; i < ours.length; i++) ours[i].set(inputs[i]); rt.invokeInPlace(); },
      xnnpack: () => { for (let i = 0; i < theirs.length; i++) theirs[i].set(inputs[i]); x.infer(); },
    }, rounds);
    x.close();
    const filter = op.type === 'CONV_2D' || op.type === 'DEPTHWISE_CONV_2D' ? ` ${g.tensors[op.inputs[1]].shape.slice(1, 3).join('×')}` : '';
    layers.push({
      op: op.index, type: op.type, kind: op.type + filter, outputShape: g.tensors[op.outputs[0]].shape,
      tinyforgeUs: median(t.tinyforge), xnnpackUs: median(t.xnnpack),
    });
  }
  return layers;
}

export function formatLayers(name: string, layers: LayerTimes[]): string {
  const sum = (f: (l: LayerTimes) => number, ls = layers) => ls.reduce((a, l) => a + f(l), 0);
  const kinds = [...new Set(layers.map((l) => l.kind))];
  const lines = layers.map((l) =>
    `  ${String(l.op).padStart(3)} ${l.kind.padEnd(24)} ${l.outputShape.join('×').padEnd(14)} ${l.tinyforgeUs.toFixed(1).padStart(7)} ${l.xnnpackUs.toFixed(1).padStart(7)}  ${(l.xnnpackUs / l.tinyforgeUs).toFixed(2)}×`);
  const byKind = kinds.map((k) => {
    const ls = layers.filter((l) => l.kind === k);
    const [a, b] = [sum((l) => l.tinyforgeUs, ls), sum((l) => l.xnnpackUs, ls)];
    return `  ${k.padEnd(28)} ${a.toFixed(0).padStart(6)} ${b.toFixed(0).padStart(6)}  ${(b / a).toFixed(2)}×  tinyforge ${a >= b ? 'behind' : 'ahead'} by ${Math.abs(a - b).toFixed(0)} µs`;
  });
  const [ta, tb] = [sum((l) => l.tinyforgeUs), sum((l) => l.xnnpackUs)];
  return [
    `${name}, layer by layer (µs, medians; ratio = XNNPACK / tinyforge):`,
    `   op ${'kind'.padEnd(24)} ${'output'.padEnd(14)} ${'tinyf.'.padStart(7)} ${'XNNPACK'.padStart(7)}`,
    ...lines,
    `  sum of layers: tinyforge ${ta.toFixed(0)} µs, XNNPACK ${tb.toFixed(0)} µs, ${(tb / ta).toFixed(2)}×; by kind:`,
    ...byKind,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const name = process.argv[2];
  if (!name) {
    console.error('usage: npx tsx bench/per-layer-xnnpack.ts <corpus model name, e.g. vww_96_int8>');
    process.exit(64);
  }
  console.log(formatLayers(name, await benchLayers(name)));
}
