// Appends a self-test section (formats/blob/blob-format.ts) to a model blob: the vectors travel with the model into
// a flash slot, so the firmware can check a model it was not built with. Total size and CRC-32 are rewritten.
import { crc32 } from '../../../lib/crc32.ts';
import { BLOB_HEADER_BYTES, SELFTEST_HEADER_BYTES, SELFTEST_MAGIC } from '../../../formats/blob/blob-format.ts';
import { readBlob } from '../../../runtime-as/index.ts';
import type { SelftestVector } from '../c/emit-selftest-c.ts';

export interface SelftestSection {
  count: number;
  inputBytes: number;
  outputBytes: number;
  vectors: SelftestVector[];
}

/** The blob's self-test section (undefined when it has none; what the firmware's tf_blob_open checks, in TS). */
export function readSelftestSection(blob: Uint8Array): SelftestSection | undefined {
  const m = readBlob(blob);
  if (m.constantsEnd === blob.length) return undefined;
  const at = m.constantsEnd;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blob.length - at < SELFTEST_HEADER_BYTES || new TextDecoder().decode(blob.subarray(at, at + 4)) !== SELFTEST_MAGIC) {
    throw new Error(`model blob: ${blob.length - at} B after the constants that are not a self-test section`);
  }
  const count = view.getUint32(at + 4, true), inputBytes = view.getUint32(at + 8, true), outputBytes = view.getUint32(at + 12, true);
  const body = at + SELFTEST_HEADER_BYTES;
  if (blob.length - body !== count * (inputBytes + outputBytes)) throw new Error(`model blob: the self-test section announces ${count} vectors that do not fill it`);
  const vectors = Array.from({ length: count }, (_, i) => ({
    input: blob.subarray(body + i * inputBytes, body + (i + 1) * inputBytes),
    expected: blob.subarray(body + count * inputBytes + i * outputBytes, body + count * inputBytes + (i + 1) * outputBytes),
  }));
  return { count, inputBytes, outputBytes, vectors };
}

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
