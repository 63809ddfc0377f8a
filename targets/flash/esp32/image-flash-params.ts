// The flash mode / size / frequency bytes of an ESP app or bootloader image header (byte 2 = SPI mode,
// byte 3 = size in the high nibble, frequency in the low one), rewritten before writing the way
// `esptool write_flash --flash_mode/--flash_size/--flash_freq` does for the image at the bootloader offset.
// Codes as in esptool (esptool-js 0.7.0 lib/targets/esp32.js FLASH_SIZES / FLASH_FREQUENCY and
// lib/esploader.js flashModes), shared by ESP32, -S2, -S3 and -C3.
import { createHash } from 'node:crypto';
import { FlashError } from '../flash-error.ts';

export const ESP_IMAGE_MAGIC = 0xe9;
export const FLASH_MODES: Record<string, number> = { qio: 0, qout: 1, dio: 2, dout: 3 };
export const FLASH_SIZES: Record<string, number> = { '1MB': 0x00, '2MB': 0x10, '4MB': 0x20, '8MB': 0x30, '16MB': 0x40, '32MB': 0x50, '64MB': 0x60, '128MB': 0x70 };
export const FLASH_FREQS: Record<string, number> = { '80m': 0xf, '40m': 0x0, '26m': 0x1, '20m': 0x2 };

/** 'keep' (and 'detect' for the size: the ROM path cannot read the flash id) leave a field as built. */
export interface FlashParams {
  mode?: string;
  size?: string;
  freq?: string;
}

export function flashSizeBytes(size: string): number | undefined {
  return FLASH_SIZES[size] === undefined ? undefined : parseInt(size, 10) * 1024 * 1024;
}

function code(table: Record<string, number>, what: string, value: string | undefined): number | undefined {
  if (value === undefined || value === 'keep' || (what === 'size' && value === 'detect')) return undefined;
  const c = table[value];
  if (c === undefined) throw new FlashError('IMAGE', `flash ${what} '${value}' is not one of ${Object.keys(table).join(', ')}, keep`);
  return c;
}

/**
 * A copy of `image` with the header's flash parameters set. The ESP-IDF bootloader ends with a SHA-256 of
 * everything before it (extended header byte 23 = 1); when that digest matches, it is recomputed, as esptool
 * does, or the ROM would refuse to boot the patched bootloader. Images without the 0xE9 magic are returned as they are.
 */
export function withFlashParams(image: Uint8Array, params: FlashParams): { bytes: Uint8Array; changed: boolean } {
  const mode = code(FLASH_MODES, 'mode', params.mode);
  const size = code(FLASH_SIZES, 'size', params.size);
  const freq = code(FLASH_FREQS, 'freq', params.freq);
  if (image.length < 24 || image[0] !== ESP_IMAGE_MAGIC || (mode === undefined && size === undefined && freq === undefined)) return { bytes: image, changed: false };
  const out = Uint8Array.from(image);
  if (mode !== undefined) out[2] = mode;
  out[3] = (size ?? out[3]! & 0xf0) | (freq ?? out[3]! & 0x0f);
  if (out[2] === image[2] && out[3] === image[3]) return { bytes: image, changed: false };
  const hashed = image.length - 32;
  if (image[23] === 1 && hashed > 24) {
    const digest = createHash('sha256').update(image.subarray(0, hashed)).digest();
    if (Buffer.compare(digest, image.subarray(hashed)) === 0) out.set(createHash('sha256').update(out.subarray(0, hashed)).digest(), hashed);
  }
  return { bytes: out, changed: true };
}
