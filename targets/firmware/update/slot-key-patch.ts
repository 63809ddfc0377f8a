// A slot firmware is model-independent code, so it can be built once per board and given its owner's public key
// afterwards: the playground's prebuilt images are linked with this placeholder as `tf_slot_public_key`
// (slot-firmware.ts: slotKeyC) and the page writes the real 32-byte key over it. The placeholder must occur exactly
// once in the loadable bytes, which the prebuild checks, so a patch can never hit anything else.
export const SLOT_KEY_PLACEHOLDER: Uint8Array = new TextEncoder().encode('tinyforge:slot-public-key:patch!');

export class SlotKeyPatchError extends Error {
  override name = 'SlotKeyPatchError';
}

/** Offsets of the placeholder in `image` (a .bin or an .elf). */
export function placeholderOffsets(image: Uint8Array): number[] {
  const p = SLOT_KEY_PLACEHOLDER;
  const found: number[] = [];
  outer: for (let i = image.indexOf(p[0]!); i >= 0 && i <= image.length - p.length; i = image.indexOf(p[0]!, i + 1)) {
    for (let j = 1; j < p.length; j++) if (image[i + j] !== p[j]) continue outer;
    found.push(i);
  }
  return found;
}

/** A copy of `image` with `publicKey` where the placeholder was; refuses an image without exactly one placeholder. */
export function patchSlotKey(image: Uint8Array, publicKey: Uint8Array, what: string): Uint8Array {
  if (publicKey.length !== 32) throw new SlotKeyPatchError(`an Ed25519 public key is 32 bytes, got ${publicKey.length}`);
  const at = placeholderOffsets(image);
  if (at.length !== 1) {
    throw new SlotKeyPatchError(`${what} holds the key placeholder ${at.length} times, not once: it is not a prebuilt slot firmware (or it was patched already)`);
  }
  const out = image.slice();
  out.set(publicKey, at[0]);
  return out;
}
