// Opens whatever a user points tinyforge at: an int8 .tflite, a model blob (.tfb), or a folder
// written by `tinyforge compile` (model_int8.tflite, else model.tfb). The .tflite comes first: it carries the IR
// (tensor names and shapes for reports), and `inspect` reads only .tflite files.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { compileTflite, type CompiledModel } from '../../compiler/compile-model.ts';
import { isBlob, readBlob, type BlobModel } from './read-blob.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { CliError, EXIT } from '../../cli/cli-error.ts';

export interface LoadedModel {
  path: string;
  name: string;
  /** Present when the model came from a .tflite (the IR, kernel calls and full arena plan). */
  compiled?: CompiledModel;
  blob: BlobModel;
  blobBytes: Uint8Array;
}

export function resolveModelPath(path: string): string {
  if (!existsSync(path)) throw new CliError(`no such file or folder: ${path}`, EXIT.badInput);
  if (!statSync(path).isDirectory()) return path;
  for (const name of ['model_int8.tflite', 'model.tfb']) {
    if (existsSync(join(path, name))) return join(path, name);
  }
  throw new CliError(`${path} is a folder without model_int8.tflite or model.tfb: point at a model file or a folder from 'tinyforge compile'`, EXIT.badInput);
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
