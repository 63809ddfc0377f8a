// Ed25519 keys as tinyforge stores them: PEM files (PKCS#8 private, SPKI public) made by node:crypto, and the
// raw 32-byte public key the firmware compiles in.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

/** DER prefixes of an Ed25519 key (RFC 8410): the raw 32 bytes follow. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function generateKeys(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A private key from its 32-byte secret (RFC 8032's "secret key", the seed). */
export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new KeyFileError(`an Ed25519 public key is 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** The raw 32 bytes of a public key (of a private key: of its public half). */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const der = pub.export({ type: 'spki', format: 'der' });
  return new Uint8Array(der.subarray(der.length - 32));
}

export function readPrivateKey(path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code?.startsWith('E') && (err as NodeJS.ErrnoException).syscall) throw err;
    throw new KeyFileError(`${path} is not a private key in PEM (make one with: tinyforge keygen --out DIR)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyFileError(`${path} holds a ${key.asymmetricKeyType} key; tinyforge signs with Ed25519 (tinyforge keygen --out DIR)`);
  return key;
}

/** A public key from a PEM file (SPKI, or a private key whose public half is taken) or a raw 32-byte file. */
export function readPublicKey(path: string): KeyObject {
  const bytes = readFileSync(path);
  if (bytes.length === 32) return publicKeyFromRaw(bytes);
  let key: KeyObject;
  try {
    key = createPublicKey(bytes);
  } catch {
    throw new KeyFileError(`${path} is not an Ed25519 public key (a PEM file from tinyforge keygen, or the raw 32 bytes)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyFileError(`${path} holds a ${key.asymmetricKeyType} key; tinyforge verifies Ed25519 signatures`);
  return key;
}
