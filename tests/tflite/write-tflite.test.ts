// writeTflite round-trips every corpus model, inline and in the offset/size buffer form
// (constant data after the flatbuffer, as models over 2 GB store it).
import { describe, expect, it } from 'vitest';
import { readTflite } from '../../compiler/tflite/read-tflite.ts';
import { tfliteToGraph } from '../../compiler/tflite/to-ir.ts';
import { writeTflite } from '../../compiler/tflite/write-tflite.ts';
import type { TfliteModel } from '../../compiler/tflite/tflite-model.ts';
import { corpusModelNames, readModel } from '../conformance-corpus.ts';

/** A comparable text form: byte arrays as base64 (deep-comparing them element by element is slow). */
function snapshot(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
}

/** The model minus where buffers were stored, which is the only thing the form changes. */
function withoutStorage(model: TfliteModel): TfliteModel {
  return { ...model, buffers: model.buffers.map((b) => ({ data: b.data })) };
}

describe('writeTflite', () => {
  for (const name of corpusModelNames()) {
    it(`${name}: reads back identically with inline buffers`, () => {
      const model = readTflite(readModel(name), name);
      expect(snapshot(readTflite(writeTflite(model), name))).toBe(snapshot(model));
    });

    it(`${name}: reads back identically with buffers in the offset/size form`, () => {
      const model = readTflite(readModel(name), name);
      const bytes = writeTflite(model, { externalBuffers: true });
      const back = readTflite(bytes, name);
      const nonEmpty = model.buffers.filter((b) => b.data.length > 0).length;
      expect(back.buffers.filter((b) => b.external).length).toBe(nonEmpty);
      for (const b of back.buffers) {
        if (b.external) {
          expect(b.external.offset % 16).toBe(0);
          expect(Buffer.compare(bytes.subarray(b.external.offset, b.external.offset + b.external.size), b.data)).toBe(0);
        }
      }
      expect(snapshot(withoutStorage(back))).toBe(snapshot(withoutStorage(model)));
      expect(snapshot(tfliteToGraph(back))).toBe(snapshot(tfliteToGraph(model)));
    });
  }
});
