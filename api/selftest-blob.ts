// The self-test vectors a model blob carries (its TFST section, formats/blob/blob-format.ts): inputs and the host
// runtime's outputs for them, which a slot firmware runs on trial before it confirms an update. `compile` (CLI and
// library) and `build --slots` put the same two in every blob: all inputs at their zero points, and a fixed
// pseudo-random pattern (api/selftest-vectors.ts).
import { withSelftest } from '../compiler/emit/blob/selftest-section.ts';
import type { SelftestVector } from '../compiler/emit/c/emit-selftest-c.ts';
import { readBlob } from '../runtime-as/index.ts';
import { selftestVectors } from './selftest-vectors.ts';

/** The model's blob (as writeBlob wrote it) with its self-test vectors: what compile writes as model.tfb. */
export function blobWithSelftest(plain: Uint8Array, vectors: readonly SelftestVector[] = selftestVectors(plain)): Uint8Array {
  const { inputs, outputs } = readBlob(plain);
  const bytes = (ts: { bytes: number }[]) => ts.reduce((n, t) => n + t.bytes, 0);
  return withSelftest(plain, vectors, bytes(inputs), bytes(outputs));
}
