// What a slot holds for a model, before signing: its blob with the self-test vectors the slot firmware runs on trial,
// checked against what that firmware reserves (arena, I/O buffers). Node's slot firmware build and the
// playground's firmware download both sign this and write it as slot A (slot-image.ts).
import type { CompiledModel } from '../../../compiler/compile-model.ts';
import { writeBlob } from '../../../compiler/emit/blob/write-blob.ts';
import type { SelftestVector } from '../../../compiler/emit/c/emit-selftest-c.ts';
import { withSelftest } from '../../../compiler/emit/blob/selftest-section.ts';
import { readBlob } from '../../../runtime-as/host/read-blob.ts';
import { SlotImageError } from './slot-image.ts';
import type { SlotRegions } from './slot-regions.ts';

export interface SlotPayload {
  /** The model blob with its self-test vectors (what a slot's signed update carries). */
  blob: Uint8Array;
  /** The arena the model needs (at most what the firmware reserves). */
  arenaBytes: number;
}

export function slotPayload(model: CompiledModel, vectors: readonly SelftestVector[], boardId: string, regions: SlotRegions, firmwareArena: number): SlotPayload {
  const plain = writeBlob(model);
  const { arenaBytes, inputs, outputs } = readBlob(plain);
  if (arenaBytes > firmwareArena) {
    throw new SlotImageError(`${model.graph.name} needs ${arenaBytes.toLocaleString('en-US')} B of arena; the slot firmware reserves ${firmwareArena.toLocaleString('en-US')} B (build it with a larger --arena)`);
  }
  const inputBytes = inputs.reduce((n, t) => n + t.bytes, 0);
  const outputBytes = outputs.reduce((n, t) => n + t.bytes, 0);
  if (Math.max(inputBytes, outputBytes) > regions.ioBytes) {
    throw new SlotImageError(`${model.graph.name} has ${Math.max(inputBytes, outputBytes).toLocaleString('en-US')} B of input or output; the ${boardId} slot firmware's buffers hold ${regions.ioBytes.toLocaleString('en-US')} B`);
  }
  return { blob: withSelftest(plain, vectors, inputBytes, outputBytes), arenaBytes };
}
