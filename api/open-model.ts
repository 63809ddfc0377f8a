// A model given as bytes (a blob, or an int8 .tflite) or as a `compile()` result → what the runtime and the
// simulator take. No file is read here: load-model.ts adds paths on Node, browser.ts uses this as it is.
import { compileTflite, type CompiledModel } from '../compiler/compile-model.ts';
import { writeBlob } from '../compiler/emit/blob/write-blob.ts';
import { isBlob, readBlob, type BlobModel } from '../runtime-as/index.ts';
import type { CompileResult } from './compile-int8.ts';

export interface OpenedModel {
  name: string;
  /** Present when the model came from a .tflite (the IR, kernel calls and full arena plan). */
  compiled?: CompiledModel;
  blob: BlobModel;
  blobBytes: Uint8Array;
}

export function openModelBytes(model: Uint8Array | CompileResult): OpenedModel {
  if (model instanceof Uint8Array) {
    if (isBlob(model)) {
      const blob = readBlob(model);
      return { name: blob.name, blob, blobBytes: model };
    }
    const compiled = compileTflite(model);
    const blobBytes = writeBlob(compiled);
    return { name: compiled.graph.name, compiled, blob: readBlob(blobBytes), blobBytes };
  }
  return { name: model.name, compiled: model.compiled, blob: readBlob(model.blob), blobBytes: model.blob };
}
