// Reads the weights of a TF.js LayersModel: `weightsManifest` groups, each a list of shard files
// holding its weights back to back, optionally quantized (uint8/uint16 affine, float16).
import { ImportError } from './import-error.ts';
import { halfToFloat } from './float16.ts';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}
export interface WeightsGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface NamedWeight {
  shape: number[];
  values: Float32Array;
}

/** `shard(path)` gives a shard's bytes (undefined when there is none); `where` says where shards were looked for. */
export function readLayersModelWeights(manifest: WeightsGroup[], shard: (path: string) => Uint8Array | undefined, model: string, where: string): Map<string, NamedWeight> {
  const out = new Map<string, NamedWeight>();
  for (const group of manifest) {
    const shards = group.paths.map((p) => {
      const bytes = shard(p);
      if (!bytes) throw new ImportError(`${model}: weight shard '${p}' listed in model.json is missing from ${where}`);
      return bytes;
    });
    const total = shards.reduce((n, s) => n + s.length, 0);
    const data = new Uint8Array(total);
    let at = 0;
    for (const s of shards) { data.set(s, at); at += s.length; }
    const view = new DataView(data.buffer);
    let offset = 0;
    for (const w of group.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const q = w.quantization;
      const storage = q?.dtype ?? w.dtype;
      const bytes = n * ({ float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 } as Record<string, number>)[storage]!;
      if (!Number.isFinite(bytes)) throw new ImportError(`${model}: weight '${w.name}' has storage type ${storage}; supported are float32, int32, uint8, uint16, float16`);
      if (offset + bytes > data.length) {
        throw new ImportError(`${model}: weight shards hold ${data.length} bytes but the manifest needs more at '${w.name}' (offset ${offset} + ${bytes}): the shards do not match model.json`);
      }
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const p = offset + i * (bytes / n);
        switch (storage) {
          case 'float32': values[i] = view.getFloat32(p, true); break;
          case 'int32': values[i] = view.getInt32(p, true); break;
          case 'uint8': values[i] = view.getUint8(p) * (q!.scale ?? 1) + (q!.min ?? 0); break;
          case 'uint16': values[i] = view.getUint16(p, true) * (q!.scale ?? 1) + (q!.min ?? 0); break;
          case 'float16': values[i] = halfToFloat(view.getUint16(p, true)); break;
        }
      }
      out.set(w.name, { shape: w.shape, values });
      offset += bytes;
    }
  }
  return out;
}
