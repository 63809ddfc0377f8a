// Opens whatever a user points tinyforge at: an int8 .tflite, a model blob (.tfb), or a folder
// written by `tinyforge compile` (model_int8.tflite, else model.tfb). The .tflite comes first: it carries the IR
// (tensor names and shapes for reports), and `inspect` reads only .tflite files.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { compileTflite } from '../compiler/compile-model.ts';
import { isBlob, readBlob } from '../runtime-as/index.ts';
import type { CompileResult } from './compile-int8.ts';
import { writeBlob } from '../compiler/emit/blob/write-blob.ts';
import { openModelBytes, type OpenedModel } from './open-model.ts';

/** The path names no model: missing, or a folder without one. The CLI reports it as bad input (exit 2). */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

export interface LoadedModel extends OpenedModel {
  path: string;
}

export function resolveModelPath(path: string): string {
  if (!existsSync(path)) throw new ModelFileError(`no such file or folder: ${path}`);
  if (!statSync(path).isDirectory()) return path;
  for (const name of ['model_int8.tflite', 'model.tfb']) {
    if (existsSync(join(path, name))) return join(path, name);
  }
  throw new ModelFileError(`${path} is a folder without model_int8.tflite or model.tfb: point at a model file or a folder from 'tinyforge compile'`);
}

export function loadModelFile(path: string): LoadedModel {
  const file = resolveModelPath(path);
  const bytes = new Uint8Array(readFileSync(file));
  const name = basename(file, extname(file));
  if (isBlob(bytes)) {
    return { path: file, name, blob: readBlob(bytes), blobBytes: bytes };
  }
  const compiled = compileTflite(bytes, name);
  const blobBytes = writeBlob(compiled);
  return { path: file, name, compiled, blob: readBlob(blobBytes), blobBytes };
}

/** What the library's functions accept as a model: a file or folder, the bytes of a blob or an int8 .tflite, or a
 *  `compile()` result. */
export function openModel(model: string | Uint8Array | CompileResult): OpenedModel {
  return typeof model === 'string' ? loadModelFile(model) : openModelBytes(model);
}
