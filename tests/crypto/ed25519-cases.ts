// Verification cases signed by node:crypto (OpenSSL): for each random key and message, the valid signature and
// copies with one bit flipped in the message, the signature or the public key, each with node's own verdict.
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { publicKeyFromRaw, rawPublicKey } from '../../api/ed25519-keys.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';

export interface VerifyCase {
  what: 'valid' | 'message bit' | 'signature bit' | 'key bit';
  publicKey: Uint8Array;
  signature: Uint8Array;
  message: Uint8Array;
  /** node:crypto's verdict on exactly these bytes. */
  nodeAccepts: boolean;
}

function flipBit(bytes: Uint8Array, random: SeededRandom): Uint8Array {
  const copy = bytes.slice();
  const bit = random.int(0, bytes.length * 8 - 1);
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
}

export function nodeSignedCases(count: number, seed: number, maxMessageBytes = 700): VerifyCase[] {
  const random = new SeededRandom(seed);
  const cases: VerifyCase[] = [];
  const keys = Array.from({ length: 16 }, () => generateKeyPairSync('ed25519'));
  for (let i = 0; i < count; i++) {
    const { privateKey, publicKey } = keys[i % keys.length]!;
    const message = new Uint8Array(random.int(0, maxMessageBytes)).map(() => random.int(0, 255));
    const signature = new Uint8Array(sign(null, message, privateKey));
    const pub = rawPublicKey(publicKey);
    const variants: Omit<VerifyCase, 'nodeAccepts'>[] = [{ what: 'valid', publicKey: pub, signature, message }];
    if (message.length > 0) variants.push({ what: 'message bit', publicKey: pub, signature, message: flipBit(message, random) });
    variants.push({ what: 'signature bit', publicKey: pub, signature: flipBit(signature, random), message });
    variants.push({ what: 'key bit', publicKey: flipBit(pub, random), signature, message });
    for (const v of variants) {
      let nodeAccepts: boolean;
      try {
        nodeAccepts = verify(null, v.message, publicKeyFromRaw(v.publicKey), v.signature);
      } catch {
        nodeAccepts = false; // OpenSSL refuses to load a key that is no curve point
      }
      cases.push({ ...v, nodeAccepts });
    }
  }
  return cases;
}
