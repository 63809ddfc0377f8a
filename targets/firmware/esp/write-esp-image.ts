// Writes an ESP image (esp-image-format.ts) from an ELF's loadable segments, for the ROM to load into RAM
// and jump to: what `esptool elf2image` does for an image with RAM segments only.
import { createHash } from 'node:crypto';
import {
  ESP_CHIP_IDS, ESP_EXTENDED_HEADER_BYTES, ESP_HEADER_BYTES, ESP_IMAGE_MAGIC, ESP_MAX_SEGMENTS, ESP_SEGMENT_HEADER_BYTES,
  espChecksum, espChecksumOffset, FLASH_FREQ_CODES, FLASH_SIZE_CODES, SPI_MODES, WP_PIN_DISABLED, type EspImageSegment,
} from './esp-image-format.ts';

export class EspImageError extends Error {
  override name = 'EspImageError';
}

export interface EspImageOptions {
  chip: keyof typeof ESP_CHIP_IDS;
  entry: number;
  segments: readonly EspImageSegment[];
  /** Where each segment may load (the chip's internal RAM as the ROM sees it). */
  /** `physical`: the same memory's address on the other bus (ESP32-C3 IRAM = DRAM + 0x700000). */
  loadable: readonly { name: string; start: number; end: number; physical?: number }[];
  spiMode?: keyof typeof SPI_MODES;
  flashSize?: string;
  flashFreq?: string;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

export function writeEspImage(options: EspImageOptions): Uint8Array {
  const segments = options.segments.filter((s) => s.data.length > 0);
  if (segments.length === 0) throw new EspImageError('no segment with data to put in the image');
  if (segments.length > ESP_MAX_SEGMENTS) throw new EspImageError(`${segments.length} segments; the ROM loads at most ${ESP_MAX_SEGMENTS}: merge sections in the linker script`);
  const padded = segments.map((s) => {
    if (s.address % 4 !== 0) throw new EspImageError(`segment at ${hex(s.address)} is not 4-byte aligned; the ROM copies words`);
    const end = s.address + s.data.length;
    const region = options.loadable.find((r) => s.address >= r.start && end <= r.end);
    if (!region) {
      throw new EspImageError(`segment ${hex(s.address)}..${hex(end)} is outside the RAM the ROM loads into (${options.loadable.map((r) => `${r.name} ${hex(r.start)}..${hex(r.end)}`).join(', ')})`);
    }
    // Lengths are whole words (esptool pads segment data with zeros the same way).
    const data = new Uint8Array(Math.ceil(s.data.length / 4) * 4);
    data.set(s.data);
    return { address: s.address, data };
  });
  // Two segments must not land on the same memory through its two addresses.
  const physical = padded.map((s) => {
    const r = options.loadable.find((l) => s.address >= l.start && s.address < l.end)!;
    const start = s.address - r.start + (r.physical ?? r.start);
    return { start, end: start + s.data.length, address: s.address };
  }).sort((a, b) => a.start - b.start);
  for (let i = 1; i < physical.length; i++) {
    if (physical[i]!.start < physical[i - 1]!.end) {
      throw new EspImageError(`segments at ${hex(physical[i - 1]!.address)} and ${hex(physical[i]!.address)} overlap in the same SRAM (seen from the instruction and the data bus)`);
    }
  }
  const body = padded.reduce((n, s) => n + ESP_SEGMENT_HEADER_BYTES + s.data.length, 0);
  const unpadded = ESP_HEADER_BYTES + ESP_EXTENDED_HEADER_BYTES + body;
  // Zeros so that the checksum byte is the last of a 16-byte block.
  const withChecksum = espChecksumOffset(unpadded) + 1;
  const out = new Uint8Array(withChecksum + 32);
  const view = new DataView(out.buffer);
  const size = FLASH_SIZE_CODES[options.flashSize ?? '4MB'];
  const freq = FLASH_FREQ_CODES[options.flashFreq ?? '80m'];
  if (size === undefined || freq === undefined) throw new EspImageError(`flash size '${options.flashSize}' or frequency '${options.flashFreq}' unknown`);
  out[0] = ESP_IMAGE_MAGIC;
  out[1] = padded.length;
  out[2] = SPI_MODES[options.spiMode ?? 'dio'];
  out[3] = (size << 4) | freq;
  view.setUint32(4, options.entry >>> 0, true);
  out[8] = WP_PIN_DISABLED;
  // 9..11: SPI pin drive settings, all default (0).
  view.setUint16(12, ESP_CHIP_IDS[options.chip], true);
  out[14] = 0; // min chip revision (deprecated byte)
  view.setUint16(15, 0, true); // min chip revision, major*100+minor
  view.setUint16(17, 0xffff, true); // max chip revision: no limit
  // 19..22 reserved (0)
  out[23] = 1; // SHA-256 appended
  let at = ESP_HEADER_BYTES + ESP_EXTENDED_HEADER_BYTES;
  for (const s of padded) {
    view.setUint32(at, s.address, true);
    view.setUint32(at + 4, s.data.length, true);
    out.set(s.data, at + ESP_SEGMENT_HEADER_BYTES);
    at += ESP_SEGMENT_HEADER_BYTES + s.data.length;
  }
  out[withChecksum - 1] = espChecksum(padded);
  out.set(createHash('sha256').update(out.subarray(0, withChecksum)).digest(), withChecksum);
  return out;
}
