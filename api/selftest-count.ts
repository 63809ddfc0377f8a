// How many self-test vectors a model blob (or a signed update's payload) carries, and the warning when it has none:
// a slot firmware's trial of such an update checks nothing before it confirms it.
import { readSelftestSection } from '../compiler/emit/blob/selftest-section.ts';

/** The vectors of the blob's self-test section (0 when it has none); undefined when the bytes are not a blob. */
export function selftestVectorCount(blob: Uint8Array): number | undefined {
  try {
    return readSelftestSection(blob)?.count ?? 0;
  } catch {
    return undefined;
  }
}

export const NO_VECTORS_WARNING = 'carries no self-test vectors: a device on trial of this update runs none (0/0) and confirms it unchecked. ' +
  'Sign the model.tfb that tinyforge compile (or build --slots) writes now: it carries 2.';
