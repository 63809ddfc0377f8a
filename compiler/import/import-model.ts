// Picks the importer by what the model path is: a .tflite file, an .onnx file, or a TF.js LayersModel
// (model.json, or a folder holding one).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Graph } from '../../formats/ir/graph.ts';
import { ImportError } from './import-error.ts';
import { importLayersModel } from './import-layers-model.ts';
import { importTflite } from './import-tflite.ts';
import { importOnnx } from './import-onnx.ts';

export function importModel(path: string): Graph {
  if (!existsSync(path)) throw new ImportError(`model ${path} does not exist`);
  if (statSync(path).isDirectory()) {
    if (!existsSync(join(path, 'model.json'))) throw new ImportError(`${path} is a folder without model.json; give a .tflite file or a TF.js LayersModel folder`);
    return importLayersModel(path);
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.tflite') return importTflite(new Uint8Array(readFileSync(path)), basename(path, ext));
  if (ext === '.onnx') return importOnnx(new Uint8Array(readFileSync(path)), basename(path, ext));
  if (ext === '.json') return importLayersModel(path);
  throw new ImportError(`${path}: unknown model format '${ext}'; give a float .tflite file, an .onnx file or a TF.js LayersModel (model.json)`);
}
