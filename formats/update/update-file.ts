// A signed update's bytes around its signature: the header to sign for a blob, and the file once signed. Node signs
// with node:crypto (api/signed-update.ts), the playground with WebCrypto; both go through these two steps.
import { BLOB_MAGIC } from '../blob/blob-format.ts';
import { encodeUpdateHeader, UPDATE_FIELDS, UPDATE_HEADER_BYTES, UpdateFormatError } from './update-format.ts';

/** The header for `blob` with a zero signature; sign its first UPDATE_SIGNED_BYTES. */
export function unsignedUpdateHeader(blob: Uint8Array, modelVersion: number, blobSha256: Uint8Array): Uint8Array {
  const magic = new TextDecoder('latin1').decode(blob.subarray(0, 4));
  if (magic !== BLOB_MAGIC) throw new UpdateFormatError(`the model is not a tinyforge blob (magic ${JSON.stringify(magic)}, expected "${BLOB_MAGIC}"; make one with tinyforge compile --format blob)`);
  return encodeUpdateHeader(modelVersion, blob.length, blobSha256);
}

/** The .tfu file: `header` with its Ed25519 `signature` written in, then the blob. */
export function assembleUpdate(header: Uint8Array, signature: Uint8Array, blob: Uint8Array): Uint8Array {
  if (signature.length !== UPDATE_FIELDS.signature.bytes) throw new UpdateFormatError(`an Ed25519 signature is 64 bytes, got ${signature.length}`);
  const file = new Uint8Array(UPDATE_HEADER_BYTES + blob.length);
  file.set(header);
  file.set(signature, UPDATE_FIELDS.signature.offset);
  file.set(blob, UPDATE_HEADER_BYTES);
  return file;
}
