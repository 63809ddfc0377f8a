// The self-test vectors a model blob carries (its TFST section, formats/blob/blob-format.ts): inputs and the host
// runtime's outputs for them, which a slot firmware runs on trial before it confirms an update. `compile` (CLI and
// library) and `build --slots` put the same two in every blob: all inputs at their zero points, and a fixed
// pseudo-random pattern.
import type { CompiledModel } from '../compiler/compile-model.ts';
import { withSelftest } from '../compiler/emit/blob/selftest-section.ts';
import type { SelftestVector } from '../compiler/emit/c/emit-selftest-c.ts';
import { writeBlob } from '../compiler/emit/blob/write-blob.ts';
import { readBlob, Runtime } from '../runtime-as/index.ts';

/** Two inputs (all zero points; a fixed pseudo-random pattern) and the WASM runtime's outputs for them. */
export function selftestVectors(compiled: CompiledModel): SelftestVector[] {
  const runtime = Runtime.create(writeBlob(compiled));
  const bytes = runtime.inputs.reduce((a, t) => a + t.bytes, 0);
  const zero = new Uint8Array(bytes);
  let o = 0;
  for (const t of runtime.inputs) {
    zero.fill((t.zeroPoint ?? 0) & 0xff, o, o + t.bytes);
    o += t.bytes;
  }
  const pattern = new Uint8Array(bytes);
  let x = 0x2545f491;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    pattern[i] = x & 0xff;
  }
  const join = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
  return [zero, pattern].map((input) => ({ input, expected: join(runtime.invoke(input)) }));
}

/** The model's blob with its self-test vectors (what compile writes as model.tfb). */
export function blobWithSelftest(compiled: CompiledModel, vectors: readonly SelftestVector[] = selftestVectors(compiled)): Uint8Array {
  const plain = writeBlob(compiled);
  const { inputs, outputs } = readBlob(plain);
  const bytes = (ts: { bytes: number }[]) => ts.reduce((n, t) => n + t.bytes, 0);
  return withSelftest(plain, vectors, bytes(inputs), bytes(outputs));
}
