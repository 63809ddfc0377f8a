// A model slot's bytes as the firmware finds them in flash (update/model-slots.h): 32 B of state cells, the signed
// update header (.tfu, formats/update/), then the model blob. A factory image is already confirmed: the firmware
// boots it without writing flash.
import type { SlotRegions } from './slot-regions.ts';

/** The state cells' markers, as model-slots.c writes them (PENDING, TRIED, CONFIRMED, BAD; 8 bytes each, one flash
 * cell programmed once: update/flash-driver.h; erased = all 0xFF). */
export const SLOT_MARK = {
  pending: new TextEncoder().encode('PENDING.'),
  tried: new TextEncoder().encode('TRIED...'),
  confirmed: new TextEncoder().encode('CONFIRM.'),
  bad: new Uint8Array(8),
} as const;
export const SLOT_CELL_BYTES = 8;
export const SLOT_STATE_BYTES = 4 * SLOT_CELL_BYTES;

export class SlotImageError extends Error {
  override name = 'SlotImageError';
}

/** A slot holding a signed update (a whole .tfu: header and blob): confirmed (a factory image), or pending (an
 * installed update the firmware will try at its next boot). */
export function slotImage(update: Uint8Array, regions: SlotRegions, state: 'confirmed' | 'pending' = 'confirmed'): Uint8Array {
  const image = new Uint8Array(SLOT_STATE_BYTES + update.length);
  image.fill(0xff, 0, SLOT_STATE_BYTES);
  image.set(SLOT_MARK.pending, 0);
  if (state === 'confirmed') image.set(SLOT_MARK.confirmed, 2 * SLOT_CELL_BYTES);
  image.set(update, SLOT_STATE_BYTES);
  if (image.length > regions.slotBytes) {
    throw new SlotImageError(`the model's slot image is ${image.length.toLocaleString('en-US')} B; a slot holds ${regions.slotBytes.toLocaleString('en-US')} B on this board`);
  }
  return image;
}
