// Appends a self-test section (formats/blob/blob-format.ts) to a model blob: the vectors travel with the model into
// a flash slot, so the firmware can check a model it was not built with. Total size and CRC-32 are rewritten.
import { crc32 } from '../../../lib/crc32.ts';
import { BLOB_HEADER_BYTES, SELFTEST_HEADER_BYTES, SELFTEST_MAGIC } from '../../../formats/blob/blob-format.ts';
import type { SelftestVector } from '../c/emit-selftest-c.ts';

export function withSelftest(blob: Uint8Array, vectors: readonly SelftestVector[], inputBytes: number, outputBytes: number): Uint8Array {
  vectors.forEach((v, i) => {
    if (v.input.length !== inputBytes || v.expected.length !== outputBytes) {
      throw new Error(`self-test vector ${i}: ${v.input.length} input / ${v.expected.length} output bytes, the model takes ${inputBytes} / ${outputBytes}`);
    }
  });
  const out = new Uint8Array(blob.length + SELFTEST_HEADER_BYTES + vectors.length * (inputBytes + outputBytes));
  out.set(blob);
  const view = new DataView(out.buffer);
  let at = blob.length;
  out.set(new TextEncoder().encode(SELFTEST_MAGIC), at);
  view.setUint32(at + 4, vectors.length, true);
  view.setUint32(at + 8, inputBytes, true);
  view.setUint32(at + 12, outputBytes, true);
  at += SELFTEST_HEADER_BYTES;
  for (const v of vectors) out.set(v.input, (at += v.input.length) - v.input.length);
  for (const v of vectors) out.set(v.expected, (at += v.expected.length) - v.expected.length);
  view.setUint32(8, out.length, true);
  view.setUint32(12, crc32(out.subarray(BLOB_HEADER_BYTES)), true);
  return out;
}
