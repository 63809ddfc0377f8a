// What the page can be given as a model, and how it becomes an int8 .tflite: an int8 .tflite as it is; a float
// .tflite or a TF.js LayersModel (model.json + weight shards) with calibration samples (.npy) quantized in the page
// by browser-quantize.ts, loaded only then (it brings TensorFlow.js).
import { isFloatTflite } from '../../browser.ts';
import type { DroppedFile, FloatModel } from '../../browser-quantize.ts';

export interface ModelFiles {
  name: string;
  model: DroppedFile;
  shards: DroppedFile[];
  calibration: DroppedFile[];
}

export interface Int8Model {
  name: string;
  tflite: Uint8Array;
  /** When the page quantized it: how long that took. */
  quantizedMs?: number;
}

const stem = (name: string) => name.replace(/^.*\//, '').replace(/\.(tflite|json)$/i, '') || 'model';

/** Files dropped or picked together: one model (.tflite or model.json), its shards (.bin), calibration (.npy). */
export function sortFiles(files: readonly DroppedFile[]): ModelFiles {
  const models = files.filter((f) => /\.(tflite|json)$/i.test(f.name));
  if (models.length !== 1) {
    throw new Error(models.length === 0
      ? `no model among ${files.map((f) => f.name).join(', ')}: give a .tflite, or a TF.js model.json with its weight files`
      : `more than one model among the files (${models.map((f) => f.name).join(', ')}): give one at a time`);
  }
  const model = models[0]!;
  const isLayers = /\.json$/i.test(model.name);
  const name = isLayers ? 'model' : stem(model.name);
  return {
    name,
    model,
    shards: isLayers ? files.filter((f) => /\.bin$/i.test(f.name)) : [],
    calibration: files.filter((f) => /\.npy$/i.test(f.name)),
  };
}

export async function toInt8(files: ModelFiles): Promise<Int8Model> {
  const isLayers = /\.json$/i.test(files.model.name);
  if (!isLayers && !isFloatTflite(files.model.bytes)) return { name: files.name, tflite: files.model.bytes };
  const float: FloatModel = isLayers
    ? { kind: 'layers', name: files.name, modelJson: files.model, shards: files.shards }
    : { kind: 'tflite', name: files.name, bytes: files.model.bytes };
  if (files.calibration.length === 0) {
    throw new Error(`${files.model.name} is a float model: give calibration data with it (a .npy of representative inputs, first axis = sample; with ?model= add &calibration=URL) to quantize it to int8 here`);
  }
  const t0 = performance.now();
  const { quantizeFloatModel } = await import('../../browser-quantize.ts');
  const result = await quantizeFloatModel(float, files.calibration);
  return { name: files.name, tflite: result.tflite, quantizedMs: performance.now() - t0 };
}

async function fetchFile(url: string, what: string): Promise<DroppedFile> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the ${what} ${url}: HTTP ${response.status} ${response.statusText}`);
  return { name: decodeURIComponent(new URL(url, document.baseURI).pathname.split('/').pop() ?? url), bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** A model by URL (a model.json's shards are fetched beside it, as its manifest names them), calibration by URL. */
export async function fetchModelFiles(modelUrl: string, calibrationUrls: readonly string[]): Promise<ModelFiles> {
  const model = await fetchFile(modelUrl, 'model');
  const shards: DroppedFile[] = [];
  if (/\.json$/i.test(model.name)) {
    let manifest: { paths?: string[] }[] = [];
    try {
      manifest = (JSON.parse(new TextDecoder().decode(model.bytes)) as { weightsManifest?: { paths?: string[] }[] }).weightsManifest ?? [];
    } catch {
      // layersModelFromJson names the problem
    }
    const base = new URL(modelUrl, document.baseURI);
    for (const path of manifest.flatMap((g) => g.paths ?? [])) shards.push(await fetchFile(new URL(path, base).href, 'weight shard'));
  }
  const calibration = await Promise.all(calibrationUrls.map((u) => fetchFile(u, 'calibration data')));
  const name = /\.json$/i.test(model.name) ? (new URL(modelUrl, document.baseURI).pathname.split('/').slice(-2, -1)[0] || 'model') : stem(model.name);
  return { name, model, shards, calibration };
}
