// The ESP firmware image format the ESP32-C3 ROM boots from flash offset 0x0, as Espressif describes it
// (esptool docs, "Firmware Image Format"; ESP-IDF esp_app_format.h: esp_image_header_t,
// esp_image_segment_header_t). Multi-byte fields are little-endian. Every field tinyforge writes:
//
// | offset | size | field                 | tinyforge writes                          | why                                            |
// |--------|------|-----------------------|-------------------------------------------|------------------------------------------------|
// | 0      | 1    | magic                 | 0xE9                                      | the ROM refuses anything else                  |
// | 1      | 1    | segment count         | number of ELF PT_LOAD segments (≤ 16)     | the ROM loads that many segments               |
// | 2      | 1    | SPI flash mode        | 2 = DIO                                   | works on every C3 module (QIO needs the WP/HD pins) |
// | 3      | 1    | size (hi) / freq (lo) | 0x2 = 4 MB, 0xF = 80 MHz                  | the DevKitM-1's ESP32-C3-MINI-1 flash          |
// | 4      | 4    | entry point           | ELF e_entry (_start in IRAM)              | where the ROM jumps after loading              |
// | 8      | 1    | WP pin                | 0xEE (disabled)                           | esptool's value when SPI pins are not remapped |
// | 9      | 3    | SPI pin drive         | 0, 0, 0 (clk/q, d/cs, hd/wp nibbles)      | default drive strengths                        |
// | 12     | 2    | chip id               | 0x0005 = ESP32-C3                         | the ROM refuses an image for another chip      |
// | 14     | 1    | min chip rev (old)    | 0                                         | deprecated field, any revision                 |
// | 15     | 2    | min chip rev full     | 0 (major*100+minor)                       | any revision                                   |
// | 17     | 2    | max chip rev full     | 0xFFFF                                    | no upper limit (esptool elf2image's default)   |
// | 19     | 4    | reserved              | 0                                         |                                                |
// | 23     | 1    | hash appended         | 1                                         | a SHA-256 of the image follows the checksum    |
// | 24     | 8+n  | segment, per segment  | load address (4-aligned), length (multiple of 4), data | IRAM (.text) and DRAM (.rodata/.data) |
// | end    | pad  | padding + checksum    | zeros up to 16-byte alignment, last byte = 0xEF XOR every segment data byte | |
// | end+   | 32   | SHA-256               | over every byte before it (header … checksum) | integrity check of the whole image         |
//
// This file imports nothing, so the browser takes it too: the CLI's writer and reader (write-/parse-esp-image.ts) and
// the playground, which writes a key into a prebuilt image and re-seals it (sealEspImage), share its layout.
export const ESP_IMAGE_MAGIC = 0xe9;
export const ESP_CHECKSUM_SEED = 0xef;
export const ESP_HEADER_BYTES = 8;
export const ESP_EXTENDED_HEADER_BYTES = 16;
export const ESP_SEGMENT_HEADER_BYTES = 8;
export const ESP_SHA256_BYTES = 32;
/** The ROM loader's limit (esptool refuses more). */
export const ESP_MAX_SEGMENTS = 16;
export const WP_PIN_DISABLED = 0xee;

export const SPI_MODES = { qio: 0, qout: 1, dio: 2, dout: 3 } as const;
export const FLASH_SIZE_CODES: Record<string, number> = { '1MB': 0, '2MB': 1, '4MB': 2, '8MB': 3, '16MB': 4 };
export const FLASH_FREQ_CODES: Record<string, number> = { '40m': 0x0, '26m': 0x1, '20m': 0x2, '80m': 0xf };

/** esp_chip_id_t values (esp_app_format.h). */
export const ESP_CHIP_IDS = { 'ESP32': 0x0000, 'ESP32-S2': 0x0002, 'ESP32-C3': 0x0005, 'ESP32-S3': 0x0009 } as const;

export interface EspImageSegment {
  address: number;
  data: Uint8Array;
}

export interface EspImageHeader {
  segmentCount: number;
  spiMode: number;
  flashSizeCode: number;
  flashFreqCode: number;
  entry: number;
  wpPin: number;
  /** Bytes 9..11 as stored: clk/q, d/cs, hd/wp drive nibbles. */
  spiDrive: [number, number, number];
  chipId: number;
  minChipRev: number;
  minChipRevFull: number;
  maxChipRevFull: number;
  hashAppended: boolean;
}

/** XOR of every byte, seeded with 0xEF, as the ROM computes it over the segments' data (not their headers). */
export function espChecksum(segments: readonly { data: Uint8Array }[]): number {
  let c = ESP_CHECKSUM_SEED;
  for (const s of segments) for (const b of s.data) c ^= b;
  return c;
}

export class EspImageFormatError extends Error {
  override name = 'EspImageFormatError';
}

/** Where an image's parts are: each segment's data, the checksum byte, the appended SHA-256 (when the header says
 * one is), and the bytes the image covers. */
export interface EspImageLayout {
  segments: { address: number; offset: number; length: number }[];
  checksumOffset: number;
  /** Offset of the appended SHA-256 (over every byte before it), absent when the header's hash byte is 0. */
  digestOffset?: number;
  length: number;
}

/** Zeros follow the last segment until one byte short of a 16-byte multiple; that byte is the checksum. */
export const espChecksumOffset = (segmentsEnd: number): number => Math.floor(segmentsEnd / 16) * 16 + 15;

/** Walks an image's header and segment table (no check of the checksum or digest themselves). */
export function espImageLayout(bytes: Uint8Array): EspImageLayout {
  const fail = (why: string): never => {
    throw new EspImageFormatError(`not a valid ESP image: ${why}`);
  };
  if (bytes.length < ESP_HEADER_BYTES + ESP_EXTENDED_HEADER_BYTES) fail(`${bytes.length} bytes is shorter than the 24-byte header`);
  if (bytes[0] !== ESP_IMAGE_MAGIC) fail(`magic is 0x${bytes[0]!.toString(16)}, not 0xe9`);
  const hashByte = bytes[23]!;
  if (hashByte > 1) fail(`hash-appended byte is ${hashByte}, must be 0 or 1`);
  const count = bytes[1]!;
  if (count === 0 || count > ESP_MAX_SEGMENTS) fail(`${count} segments (1..${ESP_MAX_SEGMENTS} allowed)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const segments: EspImageLayout['segments'] = [];
  let at = ESP_HEADER_BYTES + ESP_EXTENDED_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (at + ESP_SEGMENT_HEADER_BYTES > bytes.length) fail(`segment ${i} header at ${at} is past the end (${bytes.length} bytes)`);
    const address = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    if (at + ESP_SEGMENT_HEADER_BYTES + length > bytes.length) fail(`segment ${i} (${length} bytes at offset ${at + 8}) runs past the end`);
    segments.push({ address, offset: at + ESP_SEGMENT_HEADER_BYTES, length });
    at += ESP_SEGMENT_HEADER_BYTES + length;
  }
  const checksumOffset = espChecksumOffset(at);
  if (checksumOffset >= bytes.length) fail('the checksum byte is missing');
  let length = checksumOffset + 1;
  const digestOffset = hashByte === 1 ? length : undefined;
  if (digestOffset !== undefined) {
    if (digestOffset + ESP_SHA256_BYTES > bytes.length) fail('the header says a SHA-256 is appended, but the file ends before it');
    length += ESP_SHA256_BYTES;
  }
  return { segments, checksumOffset, ...(digestOffset !== undefined ? { digestOffset } : {}), length };
}

/** A copy of `image` (changed in its segments' data, e.g. a key written over a placeholder) with its checksum byte and
 * appended SHA-256 made right again. Browser-safe: the digest comes from WebCrypto (also Node's globalThis.crypto). */
export async function sealEspImage(image: Uint8Array): Promise<Uint8Array> {
  const layout = espImageLayout(image);
  const out = image.slice();
  out[layout.checksumOffset] = espChecksum(layout.segments.map((s) => ({ data: out.subarray(s.offset, s.offset + s.length) })));
  if (layout.digestOffset !== undefined) {
    const digest = await globalThis.crypto.subtle.digest('SHA-256', out.slice(0, layout.digestOffset));
    out.set(new Uint8Array(digest), layout.digestOffset);
  }
  return out;
}
