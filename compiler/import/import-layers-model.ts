// TF.js LayersModel files (model.json + weight shards, as `model.save()` writes them) → float IR: reads them from
// disk; the conversion itself is layers-model-graph.ts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Graph } from '../../formats/ir/graph.ts';
import { ImportError } from './import-error.ts';
import { layersModelFromJson } from './layers-model-graph.ts';

export { layersModelFromJson, layersModelToGraph } from './layers-model-graph.ts';

/** `path` is model.json or the folder holding it. */
export function importLayersModel(path: string): Graph {
  const file = statSync(path).isDirectory() ? join(path, 'model.json') : path;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ImportError(`${file}: not a readable model.json (${(err as Error).message})`);
  }
  const dir = dirname(file);
  const shard = (p: string) => (existsSync(join(dir, p)) ? new Uint8Array(readFileSync(join(dir, p))) : undefined);
  return layersModelFromJson(text, shard, basename(dir) || 'model', file, dir);
}
