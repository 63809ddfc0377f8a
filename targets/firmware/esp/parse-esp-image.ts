// Reads an ESP image back and checks it the way the ROM does: magic, segment table inside the file (the walk is
// esp-image-format.ts's espImageLayout, which the page's sealEspImage uses too), the checksum byte over the segment
// data and, when the header says one is appended, the SHA-256.
import { createHash } from 'node:crypto';
import {
  ESP_SHA256_BYTES, espChecksum, EspImageFormatError, espImageLayout, type EspImageHeader, type EspImageSegment,
} from './esp-image-format.ts';

export interface ParsedEspImage {
  header: EspImageHeader;
  segments: EspImageSegment[];
  /** Stored checksum byte and the one computed from the segments. */
  checksum: { stored: number; computed: number; offset: number };
  /** Present when the header's hash-appended byte is 1. */
  sha256?: { stored: Uint8Array; computed: Uint8Array };
  /** Bytes covered by the image (header through digest). */
  length: number;
}

export { EspImageFormatError };

export function parseEspImage(bytes: Uint8Array): ParsedEspImage {
  const layout = espImageLayout(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header: EspImageHeader = {
    segmentCount: bytes[1]!,
    spiMode: bytes[2]!,
    flashSizeCode: bytes[3]! >> 4,
    flashFreqCode: bytes[3]! & 0xf,
    entry: view.getUint32(4, true),
    wpPin: bytes[8]!,
    spiDrive: [bytes[9]!, bytes[10]!, bytes[11]!],
    chipId: view.getUint16(12, true),
    minChipRev: bytes[14]!,
    minChipRevFull: view.getUint16(15, true),
    maxChipRevFull: view.getUint16(17, true),
    hashAppended: layout.digestOffset !== undefined,
  };
  const segments: EspImageSegment[] = layout.segments.map((s) => ({ address: s.address, data: bytes.slice(s.offset, s.offset + s.length) }));
  const checksum = { stored: bytes[layout.checksumOffset]!, computed: espChecksum(segments), offset: layout.checksumOffset };
  let sha256: ParsedEspImage['sha256'];
  if (layout.digestOffset !== undefined) {
    const at = layout.digestOffset;
    sha256 = { stored: bytes.slice(at, at + ESP_SHA256_BYTES), computed: new Uint8Array(createHash('sha256').update(bytes.subarray(0, at)).digest()) };
  }
  return { header, segments, checksum, ...(sha256 ? { sha256 } : {}), length: layout.length };
}

/** The problems the ROM would refuse the image for (empty when it would load). */
export function espImageProblems(image: ParsedEspImage, expectedChipId: number): string[] {
  const problems: string[] = [];
  if (image.header.chipId !== expectedChipId) problems.push(`chip id ${image.header.chipId}, expected ${expectedChipId}`);
  if (image.checksum.stored !== image.checksum.computed) problems.push(`checksum 0x${image.checksum.stored.toString(16)}, computed 0x${image.checksum.computed.toString(16)}`);
  if (image.sha256 && Buffer.compare(image.sha256.stored, image.sha256.computed) !== 0) problems.push('appended SHA-256 does not match the image');
  for (const s of image.segments) if (s.address % 4 || s.data.length % 4) problems.push(`segment 0x${s.address.toString(16)} (${s.data.length} bytes) is not word-aligned`);
  return problems;
}
