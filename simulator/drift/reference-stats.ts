// The reference a device's statistics are compared with: the calibration data's own, computed with the same twin
// (input-stats.ts) over the calibration samples quantized as the model's input, and the model's top-1 classes on
// them. `tinyforge compile` writes it as input-stats.json beside the model; `monitor` reads it back.
import { quantizeFloat32ToInt8 } from '../../compiler/input-data/quantize-input.ts';
import { statsGeometry, STATS_BINS, type InputStatsRecord, type StatsGeometry } from '../../formats/input-stats/input-stats-record.ts';
import type { BlobModel } from '../../runtime-as/host/read-blob.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { InputStats } from './input-stats.ts';

export const STATS_FILE_FORMAT = 'tinyforge-input-stats/1';

export class StatsFileError extends Error {
  override name = 'StatsFileError';
}

/** The statistics geometry of a model as the firmware computes it (formats/input-stats). */
export function modelStatsGeometry(blob: BlobModel): StatsGeometry {
  const input = blob.inputs[0]!, output = blob.outputs[0];
  return statsGeometry(input.shape, output && { elements: output.shape.reduce((a, b) => a * b, 1), dtype: output.dtype });
}

/** Statistics of float samples (back to back, one input each) quantized with the model's input scale and zero point. */
export function referenceStats(blob: BlobModel, values: Float32Array, samples: number): InputStatsRecord {
  const input = blob.inputs[0]!;
  if (input.dtype !== 'int8' || input.scale === undefined) throw new StatsFileError(`${blob.name}'s input is ${input.dtype}: drift statistics are kept for an int8 input`);
  const size = values.length / samples;
  const runtime = Runtime.create(blob);
  const stats = new InputStats(modelStatsGeometry(blob));
  for (let s = 0; s < samples; s++) {
    const q = quantizeFloat32ToInt8(values.subarray(s * size, (s + 1) * size), input.scale, input.zeroPoint ?? 0);
    const [y] = runtime.invoke(q);
    stats.update(new Int8Array(q.buffer, q.byteOffset, q.length), y && new Int8Array(y.buffer, y.byteOffset, y.length));
  }
  return stats.snapshot();
}

interface StatsFile {
  format: string;
  model: string;
  source: string;
  geometry: StatsGeometry;
  invocations: number;
  groups: { count: number; sum: number; sumSq: number; hist: number[] }[];
  top1: number[];
  top1Hist: number[];
}

export function statsToJson(r: InputStatsRecord, about: { model: string; source: string }): string {
  const file: StatsFile = {
    format: STATS_FILE_FORMAT, ...about, geometry: r.geometry, invocations: r.invocations,
    groups: r.groups.map((g) => ({ count: Number(g.count), sum: Number(g.sum), sumSq: Number(g.sumSq), hist: g.hist })),
    top1: r.top1, top1Hist: r.top1Hist,
  };
  return JSON.stringify(file, null, 1) + '\n';
}

export function statsFromJson(text: string, origin: string): InputStatsRecord & { source: string } {
  let f: StatsFile;
  try {
    f = JSON.parse(text) as StatsFile;
  } catch (err) {
    throw new StatsFileError(`${origin}: not JSON (${(err as Error).message})`);
  }
  if (f?.format !== STATS_FILE_FORMAT || !f.geometry || !Array.isArray(f.groups) || f.groups.length !== f.geometry.groups || f.groups.some((g) => g.hist?.length !== STATS_BINS)) {
    throw new StatsFileError(`${origin}: not an input-statistics file (format "${STATS_FILE_FORMAT}", as 'tinyforge compile' writes input-stats.json)`);
  }
  return {
    source: f.source ?? origin, geometry: f.geometry, invocations: f.invocations,
    groups: f.groups.map((g) => ({ count: BigInt(g.count), sum: BigInt(g.sum), sumSq: BigInt(g.sumSq), hist: g.hist })),
    top1: f.top1 ?? [], top1Hist: f.top1Hist ?? new Array(STATS_BINS).fill(0),
  };
}
