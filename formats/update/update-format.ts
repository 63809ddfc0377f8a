// A signed model update (.tfu), version 1 (little-endian). Written by `tinyforge sign`, checked by `tinyforge
// verify` and by the firmware (formats/update/tfu-format.h declares the same layout in C).
//
//   offset  size  field
//        0     4  magic "TFUP"
//        4     2  u16 format version (1)
//        6     2  u16 header bytes (128): the payload starts here
//        8     4  u32 model version: a device takes only a version above the one it runs (no replay)
//       12     4  u32 payload bytes
//       16    32  SHA-256 of the payload
//       48    16  reserved, zero
//       64    64  Ed25519 signature (RFC 8032, pure) of header bytes [0, 64)
//      128     …  payload: the model blob (.tfb)
//
// The signature covers the fields before it, the payload through its hash: a device checks the 64-byte
// signed part once, then hashes the payload as it streams through.
export const UPDATE_MAGIC = 'TFUP';
export const UPDATE_FORMAT_VERSION = 1;
export const UPDATE_HEADER_BYTES = 128;
export const UPDATE_FILE_EXTENSION = '.tfu';

export const UPDATE_FIELDS = {
  magic: { offset: 0, bytes: 4 },
  formatVersion: { offset: 4, bytes: 2 },
  headerBytes: { offset: 6, bytes: 2 },
  modelVersion: { offset: 8, bytes: 4 },
  payloadBytes: { offset: 12, bytes: 4 },
  payloadSha256: { offset: 16, bytes: 32 },
  reserved: { offset: 48, bytes: 16 },
  signature: { offset: 64, bytes: 64 },
} as const;

/** The bytes the signature covers: [0, SIGNED_BYTES). */
export const UPDATE_SIGNED_BYTES = UPDATE_FIELDS.signature.offset;

export interface UpdateHeader {
  formatVersion: number;
  headerBytes: number;
  modelVersion: number;
  payloadBytes: number;
  payloadSha256: Uint8Array;
  signature: Uint8Array;
}

export class UpdateFormatError extends Error {
  override name = 'UpdateFormatError';
}

/** The header with a zero signature (sign its first UPDATE_SIGNED_BYTES, then write the signature in). */
export function encodeUpdateHeader(modelVersion: number, payloadBytes: number, payloadSha256: Uint8Array): Uint8Array {
  if (!Number.isInteger(modelVersion) || modelVersion < 0 || modelVersion > 0xffffffff) {
    throw new UpdateFormatError(`model version ${modelVersion} is not a 32-bit unsigned integer`);
  }
  if (payloadSha256.length !== 32) throw new UpdateFormatError(`a SHA-256 is 32 bytes, got ${payloadSha256.length}`);
  const header = new Uint8Array(UPDATE_HEADER_BYTES);
  const view = new DataView(header.buffer);
  header.set(new TextEncoder().encode(UPDATE_MAGIC), UPDATE_FIELDS.magic.offset);
  view.setUint16(UPDATE_FIELDS.formatVersion.offset, UPDATE_FORMAT_VERSION, true);
  view.setUint16(UPDATE_FIELDS.headerBytes.offset, UPDATE_HEADER_BYTES, true);
  view.setUint32(UPDATE_FIELDS.modelVersion.offset, modelVersion, true);
  view.setUint32(UPDATE_FIELDS.payloadBytes.offset, payloadBytes, true);
  header.set(payloadSha256, UPDATE_FIELDS.payloadSha256.offset);
  return header;
}

/** Reads and checks the header's own fields (magic, versions, sizes); the hash and signature are checked by the caller. */
export function parseUpdateHeader(file: Uint8Array): UpdateHeader {
  if (file.length < UPDATE_HEADER_BYTES) {
    throw new UpdateFormatError(`header: the file has ${file.length} bytes, fewer than the ${UPDATE_HEADER_BYTES}-byte header`);
  }
  const magic = new TextDecoder('latin1').decode(file.subarray(0, 4));
  if (magic !== UPDATE_MAGIC) throw new UpdateFormatError(`header: magic is ${JSON.stringify(magic)}, not "${UPDATE_MAGIC}" (is this a .tfu made by tinyforge sign?)`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const formatVersion = view.getUint16(UPDATE_FIELDS.formatVersion.offset, true);
  if (formatVersion !== UPDATE_FORMAT_VERSION) throw new UpdateFormatError(`header: format version ${formatVersion}, this tinyforge reads version ${UPDATE_FORMAT_VERSION}`);
  const headerBytes = view.getUint16(UPDATE_FIELDS.headerBytes.offset, true);
  if (headerBytes !== UPDATE_HEADER_BYTES) throw new UpdateFormatError(`header: header size ${headerBytes}, expected ${UPDATE_HEADER_BYTES}`);
  const payloadBytes = view.getUint32(UPDATE_FIELDS.payloadBytes.offset, true);
  if (file.length !== UPDATE_HEADER_BYTES + payloadBytes) {
    throw new UpdateFormatError(`header: says ${payloadBytes} payload bytes, the file holds ${file.length - UPDATE_HEADER_BYTES} (truncated or padded)`);
  }
  const field = (f: { offset: number; bytes: number }) => file.slice(f.offset, f.offset + f.bytes);
  if (field(UPDATE_FIELDS.reserved).some((b) => b !== 0)) throw new UpdateFormatError('header: reserved bytes 48..63 are not zero');
  return {
    formatVersion,
    headerBytes,
    modelVersion: view.getUint32(UPDATE_FIELDS.modelVersion.offset, true),
    payloadBytes,
    payloadSha256: field(UPDATE_FIELDS.payloadSha256),
    signature: field(UPDATE_FIELDS.signature),
  };
}
