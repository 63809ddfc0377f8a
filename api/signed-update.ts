// Signs a model blob into an update file (.tfu) and checks one: header, payload SHA-256, Ed25519 signature.
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { assembleUpdate, unsignedUpdateHeader } from '../formats/update/update-file.ts';
import { parseUpdateHeader, UPDATE_HEADER_BYTES, UPDATE_SIGNED_BYTES, UpdateFormatError, type UpdateHeader } from '../formats/update/update-format.ts';

export function signUpdate(blob: Uint8Array, privateKey: KeyObject, modelVersion: number): Uint8Array {
  const header = unsignedUpdateHeader(blob, modelVersion, createHash('sha256').update(blob).digest());
  return assembleUpdate(header, sign(null, header.subarray(0, UPDATE_SIGNED_BYTES), privateKey), blob);
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
