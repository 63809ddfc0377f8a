// Signs a model blob into an update file (.tfu) and checks one: header, payload SHA-256, Ed25519 signature.
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { BLOB_MAGIC } from '../formats/blob/blob-format.ts';
import { encodeUpdateHeader, parseUpdateHeader, UPDATE_FIELDS, UPDATE_HEADER_BYTES, UPDATE_SIGNED_BYTES, UpdateFormatError, type UpdateHeader } from '../formats/update/update-format.ts';

export function signUpdate(blob: Uint8Array, privateKey: KeyObject, modelVersion: number): Uint8Array {
  const magic = new TextDecoder('latin1').decode(blob.subarray(0, 4));
  if (magic !== BLOB_MAGIC) throw new UpdateFormatError(`the model is not a tinyforge blob (magic ${JSON.stringify(magic)}, expected "${BLOB_MAGIC}"; make one with tinyforge compile --format blob)`);
  const header = encodeUpdateHeader(modelVersion, blob.length, createHash('sha256').update(blob).digest());
  header.set(sign(null, header.subarray(0, UPDATE_SIGNED_BYTES), privateKey), UPDATE_FIELDS.signature.offset);
  const file = new Uint8Array(UPDATE_HEADER_BYTES + blob.length);
  file.set(header);
  file.set(blob, UPDATE_HEADER_BYTES);
  return file;
}

export type UpdateCheck =
  | { ok: true; header: UpdateHeader }
  | { ok: false; problem: 'header' | 'hash' | 'signature'; message: string; header?: UpdateHeader };

export function checkUpdate(file: Uint8Array, publicKey: KeyObject): UpdateCheck {
  let header: UpdateHeader;
  try {
    header = parseUpdateHeader(file);
  } catch (err) {
    if (err instanceof UpdateFormatError) return { ok: false, problem: 'header', message: err.message };
    throw err;
  }
  if (!verify(null, file.subarray(0, UPDATE_SIGNED_BYTES), publicKey, header.signature)) {
    return { ok: false, problem: 'signature', header, message: 'signature: the Ed25519 signature of the header does not verify with this public key (signed with another key, or the header was changed)' };
  }
  const digest = createHash('sha256').update(file.subarray(UPDATE_HEADER_BYTES)).digest();
  if (!digest.equals(Buffer.from(header.payloadSha256))) {
    return { ok: false, problem: 'hash', header, message: `hash: the payload's SHA-256 is ${digest.toString('hex')}, the signed header says ${Buffer.from(header.payloadSha256).toString('hex')} (the model was changed after signing)` };
  }
  return { ok: true, header };
}
