// A model's self-test vectors, as the firmware runs them at boot and a slot firmware on trial: two inputs (every
// byte at its zero point; a fixed pseudo-random pattern) and the WASM runtime's outputs for them. The same in Node
// (build, export, build --slots) and in the playground's firmware download.
import type { CompiledModel } from '../compiler/compile-model.ts';
import { writeBlob } from '../compiler/emit/blob/write-blob.ts';
import type { SelftestVector } from '../compiler/emit/c/emit-selftest-c.ts';
import { concatBytes } from '../lib/concat-bytes.ts';
import { Runtime } from '../runtime-as/host/runtime.ts';

/** `model`: the compiled model, or its blob as writeBlob wrote it (no need to write it again). */
export function selftestVectors(model: CompiledModel | Uint8Array): SelftestVector[] {
  const runtime = Runtime.create(model instanceof Uint8Array ? model : writeBlob(model));
  const bytes = runtime.inputs.reduce((a, t) => a + t.bytes, 0);
  const zero = new Uint8Array(bytes);
  let o = 0;
  for (const t of runtime.inputs) {
    zero.fill((t.zeroPoint ?? 0) & 0xff, o, o + t.bytes);
    o += t.bytes;
  }
  // xorshift32 with a fixed seed: the pattern is the same on every build, so a firmware's vectors are reproducible.
  const pattern = new Uint8Array(bytes);
  let x = 0x2545f491;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    pattern[i] = x & 0xff;
  }
  return [zero, pattern].map((input) => ({ input, expected: concatBytes(runtime.invoke(input)) }));
}
