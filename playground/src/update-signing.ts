// Signing model updates in the page with WebCrypto (Ed25519, SHA-256): a new key pair made here, or the private key
// `tinyforge keygen` wrote (PKCS#8 PEM). Keys leave the page only as the PEM files the CLI reads, so an update made
// here can be followed by one from `tinyforge sign --key update-key.pem`, and the other way round.
import { assembleUpdate, UPDATE_SIGNED_BYTES, unsignedUpdateHeader } from '../../browser.ts';

export interface SigningKey {
  privateKey: CryptoKey;
  /** The raw 32 bytes the firmware compiles in. */
  publicRaw: Uint8Array;
  /** PEM files as `tinyforge keygen` writes them; the private one only for a key made in the page. */
  privatePem?: string;
  publicPem: string;
  madeHere: boolean;
}

const ED25519 = { name: 'Ed25519' } as const;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = btoa(String.fromCharCode(...new Uint8Array(der)));
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

function subtle(): SubtleCrypto {
  if (!globalThis.crypto?.subtle) throw new Error('no WebCrypto here (crypto.subtle): open the playground over http://localhost, https or a file, not plain http');
  return crypto.subtle;
}

async function publicHalf(publicKey: CryptoKey): Promise<{ publicRaw: Uint8Array; publicPem: string }> {
  return { publicRaw: new Uint8Array(await subtle().exportKey('raw', publicKey)), publicPem: pem('PUBLIC KEY', await subtle().exportKey('spki', publicKey)) };
}

export async function newSigningKey(): Promise<SigningKey> {
  let pair: CryptoKeyPair;
  try {
    pair = (await subtle().generateKey(ED25519, true, ['sign', 'verify'])) as CryptoKeyPair;
  } catch (err) {
    throw new Error(`this browser's WebCrypto has no Ed25519 (${(err as Error).message}): use a current Chromium, Firefox or Safari, or sign with \`tinyforge sign\``);
  }
  return { privateKey: pair.privateKey, ...(await publicHalf(pair.publicKey)), privatePem: pem('PRIVATE KEY', await subtle().exportKey('pkcs8', pair.privateKey)), madeHere: true };
}

/** The private key of `tinyforge keygen` (update-key.pem). */
export async function signingKeyFromPem(text: string, fileName: string): Promise<SigningKey> {
  const m = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/.exec(text);
  if (!m) throw new Error(`${fileName} is not a PKCS#8 private key PEM (-----BEGIN PRIVATE KEY-----); use the update-key.pem that tinyforge keygen wrote, not the .pub.pem`);
  const der = Uint8Array.from(atob(m[1]!.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  let privateKey: CryptoKey;
  try {
    privateKey = await subtle().importKey('pkcs8', der, ED25519, true, ['sign']);
  } catch (err) {
    throw new Error(`${fileName} is not an Ed25519 private key (${(err as Error).message}); make one with tinyforge keygen --out DIR`);
  }
  // The public half: WebCrypto exports it inside the private key's JWK (x), and imports it back as a key.
  const jwk = await subtle().exportKey('jwk', privateKey);
  if (!jwk.x) throw new Error(`${fileName}: this browser does not give the public half of an Ed25519 key`);
  const publicKey = await subtle().importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, ED25519, true, ['verify']);
  return { privateKey, ...(await publicHalf(publicKey)), madeHere: false };
}

/** `blob` signed into an update (.tfu), byte for byte what `tinyforge sign` makes with the same key. */
export async function signUpdateInPage(blob: Uint8Array, key: SigningKey, modelVersion: number): Promise<Uint8Array> {
  const sha = new Uint8Array(await subtle().digest('SHA-256', new Uint8Array(blob)));
  const header = unsignedUpdateHeader(blob, modelVersion, sha);
  const signature = new Uint8Array(await subtle().sign(ED25519, key.privateKey, header.slice(0, UPDATE_SIGNED_BYTES)));
  return assembleUpdate(header, signature, blob);
}

/** The first 8 bytes of the public key in hex, to tell keys apart in the page. */
export const keyFingerprint = (key: SigningKey) => Array.from(key.publicRaw.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
