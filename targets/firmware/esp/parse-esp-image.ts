// Reads an ESP image back and checks it the way the ROM does: magic, segment table inside the file,
// the checksum byte over the segment data and, when the header says one is appended, the SHA-256.
import { createHash } from 'node:crypto';
import {
  ESP_EXTENDED_HEADER_BYTES, ESP_HEADER_BYTES, ESP_IMAGE_MAGIC, ESP_MAX_SEGMENTS, ESP_SEGMENT_HEADER_BYTES, ESP_SHA256_BYTES,
  espChecksum, type EspImageHeader, type EspImageSegment,
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

export class EspImageFormatError extends Error {
  override name = 'EspImageFormatError';
}

export function parseEspImage(bytes: Uint8Array): ParsedEspImage {
  const fail = (why: string): never => {
    throw new EspImageFormatError(`not a valid ESP image: ${why}`);
  };
  if (bytes.length < ESP_HEADER_BYTES + ESP_EXTENDED_HEADER_BYTES) fail(`${bytes.length} bytes is shorter than the 24-byte header`);
  if (bytes[0] !== ESP_IMAGE_MAGIC) fail(`magic is 0x${bytes[0]!.toString(16)}, not 0xe9`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hashByte = bytes[23]!;
  if (hashByte > 1) fail(`hash-appended byte is ${hashByte}, must be 0 or 1`);
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
    hashAppended: hashByte === 1,
  };
  if (header.segmentCount === 0 || header.segmentCount > ESP_MAX_SEGMENTS) fail(`${header.segmentCount} segments (1..${ESP_MAX_SEGMENTS} allowed)`);
  const segments: EspImageSegment[] = [];
  let at = ESP_HEADER_BYTES + ESP_EXTENDED_HEADER_BYTES;
  for (let i = 0; i < header.segmentCount; i++) {
    if (at + ESP_SEGMENT_HEADER_BYTES > bytes.length) fail(`segment ${i} header at ${at} is past the end (${bytes.length} bytes)`);
    const address = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    if (at + ESP_SEGMENT_HEADER_BYTES + length > bytes.length) fail(`segment ${i} (${length} bytes at offset ${at + 8}) runs past the end`);
    segments.push({ address, data: bytes.slice(at + ESP_SEGMENT_HEADER_BYTES, at + ESP_SEGMENT_HEADER_BYTES + length) });
    at += ESP_SEGMENT_HEADER_BYTES + length;
  }
  const checksumOffset = Math.floor(at / 16) * 16 + 15;
  if (checksumOffset >= bytes.length) fail('the checksum byte is missing');
  const checksum = { stored: bytes[checksumOffset]!, computed: espChecksum(segments), offset: checksumOffset };
  let length = checksumOffset + 1;
  let sha256: ParsedEspImage['sha256'];
  if (header.hashAppended) {
    if (length + ESP_SHA256_BYTES > bytes.length) fail('the header says a SHA-256 is appended, but the file ends before it');
    sha256 = {
      stored: bytes.slice(length, length + ESP_SHA256_BYTES),
      computed: new Uint8Array(createHash('sha256').update(bytes.subarray(0, length)).digest()),
    };
    length += ESP_SHA256_BYTES;
  }
  return { header, segments, checksum, ...(sha256 ? { sha256 } : {}), length };
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
