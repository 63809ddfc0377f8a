// A model slot's bytes as the firmware finds them in flash (update/model-slots.h): 16 B of state words, the signed
// update header (.tfu, formats/update/), then the model blob. A factory image is already confirmed: the firmware
// boots it without writing flash.
import type { SlotRegions } from './slot-regions.ts';

/** The state words' markers, as model-slots.c writes them (PENDING, TRIED, CONFIRMED, BAD; erased = 0xFFFFFFFF). */
export const SLOT_MARK = { pending: 0x50454e44, tried: 0x54524944, confirmed: 0x434f4e46, bad: 0 } as const;
export const SLOT_STATE_BYTES = 16;

export class SlotImageError extends Error {
  override name = 'SlotImageError';
}

/** A slot holding a signed update (a whole .tfu: header and blob): confirmed (a factory image), or pending (an
 * installed update the firmware will try at its next boot). */
export function slotImage(update: Uint8Array, regions: SlotRegions, state: 'confirmed' | 'pending' = 'confirmed'): Uint8Array {
  const image = new Uint8Array(SLOT_STATE_BYTES + update.length);
  const view = new DataView(image.buffer);
  view.setUint32(0, SLOT_MARK.pending, true);
  view.setUint32(4, 0xffffffff, true);
  view.setUint32(8, state === 'confirmed' ? SLOT_MARK.confirmed : 0xffffffff, true);
  view.setUint32(12, 0xffffffff, true);
  image.set(update, SLOT_STATE_BYTES);
  if (image.length > regions.slotBytes) {
    throw new SlotImageError(`the model's slot image is ${image.length.toLocaleString('en-US')} B; a slot holds ${regions.slotBytes.toLocaleString('en-US')} B on this board`);
  }
  return image;
}
