// The firmware's C SHA-256, SHA-512 and Ed25519 verification, built for this machine under ASan + UBSan, checked
// against FIPS 180-4's examples, RFC 8032 §7.1's vectors and thousands of node:crypto signatures.
import { createHash, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateKeyFromSeed, publicKeyFromRaw, rawPublicKey } from '../../api/ed25519-keys.ts';
import { buildHostCheck, runHostCheck, type CheckRequest } from './crypto-check-build.ts';
import { nodeSignedCases } from './ed25519-cases.ts';
import { FIPS180_VECTORS } from './fips180-vectors.ts';
import { RFC8032_VECTORS } from './rfc8032-vectors.ts';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array | boolean) => Buffer.from(b as Uint8Array).toString('hex');
const work = mkdtempSync(join(tmpdir(), 'tinyforge-crypto-'));
let exe: string;
let fastExe: string;
beforeAll(() => {
  exe = buildHostCheck(work);
  fastExe = buildHostCheck(work, false);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('SHA-256 / SHA-512 in C', () => {
  it('gives FIPS 180-4 example digests', () => {
    const requests: CheckRequest[] = FIPS180_VECTORS.flatMap((v) => [{ op: 'sha256', message: v.message }, { op: 'sha512', message: v.message }] as CheckRequest[]);
    const answers = runHostCheck(exe, requests);
    FIPS180_VECTORS.forEach((v, i) => {
      expect(toHex(answers[2 * i]!), `${v.name} SHA-256`).toBe(v.sha256);
      expect(toHex(answers[2 * i + 1]!), `${v.name} SHA-512`).toBe(v.sha512);
    });
  });

  it('matches node:crypto at every length 0..300 (each padding boundary of both block sizes)', () => {
    const messages = Array.from({ length: 301 }, (_, n) => new Uint8Array(n).map((_, i) => (i * 151 + n * 7) & 0xff));
    const answers = runHostCheck(exe, messages.flatMap((m) => [{ op: 'sha256', message: m }, { op: 'sha512', message: m }] as CheckRequest[]));
    messages.forEach((m, n) => {
      expect(toHex(answers[2 * n]!), `SHA-256 of ${n} bytes`).toBe(createHash('sha256').update(m).digest('hex'));
      expect(toHex(answers[2 * n + 1]!), `SHA-512 of ${n} bytes`).toBe(createHash('sha512').update(m).digest('hex'));
    });
  });
});

describe('Ed25519 verification in C', () => {
  it('accepts RFC 8032 §7.1 TEST 1, 2, 3, 1024 and SHA(abc), which node:crypto reproduces from the secret keys', () => {
    for (const v of RFC8032_VECTORS) {
      const key = privateKeyFromSeed(hex(v.secretKey));
      expect(toHex(rawPublicKey(key)), `${v.name} public key`).toBe(v.publicKey);
      expect(sign(null, hex(v.message), key).toString('hex'), `${v.name} signature`).toBe(v.signature);
    }
    const answers = runHostCheck(exe, RFC8032_VECTORS.map((v) => ({ op: 'verify', publicKey: hex(v.publicKey), signature: hex(v.signature), message: hex(v.message) })));
    expect(answers).toEqual(RFC8032_VECTORS.map(() => true));
  });

  it('refuses each RFC vector under another vector\'s key, and with S + L in place of S (RFC 8032 §5.1.7 wants S < L)', () => {
    const L = (1n << 252n) + 27742317777372353535851937790883648493n;
    const requests: CheckRequest[] = [];
    RFC8032_VECTORS.forEach((v, i) => {
      const other = RFC8032_VECTORS[(i + 1) % RFC8032_VECTORS.length]!;
      requests.push({ op: 'verify', publicKey: hex(other.publicKey), signature: hex(v.signature), message: hex(v.message) });
      const sig = hex(v.signature);
      let s = BigInt(`0x${Buffer.from(sig.subarray(32)).reverse().toString('hex')}`) + L;
      for (let b = 32; b < 64; b++, s >>= 8n) sig[b] = Number(s & 0xffn);
      expect(verify(null, hex(v.message), publicKeyFromRaw(hex(v.publicKey)), sig), 'node refuses S + L too').toBe(false);
      requests.push({ op: 'verify', publicKey: hex(v.publicKey), signature: sig, message: hex(v.message) });
    });
    expect(runHostCheck(exe, requests)).toEqual(requests.map(() => false));
  });

  it('refuses a public key whose y is not below p (non-canonical encoding)', () => {
    const v = RFC8032_VECTORS[0]!;
    const yIsP = hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'); // y = p: encodes 0 non-canonically
    const yIsP1 = hex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'); // y = p + 1 (the point y = 1)
    expect(runHostCheck(exe, [yIsP, yIsP1].map((publicKey) => ({ op: 'verify', publicKey, signature: hex(v.signature), message: hex(v.message) })))).toEqual([false, false]);
  });

  it('agrees with node:crypto on 200 random messages and their bit-flipped copies under the sanitizers', () => {
    const cases = nodeSignedCases(200, 7);
    const answers = runHostCheck(exe, cases.map((c) => ({ op: 'verify', publicKey: c.publicKey, signature: c.signature, message: c.message })));
    expect(cases.filter((c, i) => answers[i] !== c.nodeAccepts)).toEqual([]);
  });

  it('agrees with node:crypto on 2,000 random messages and their one-bit-flipped copies (message, signature, key)', () => {
    const cases = nodeSignedCases(2000, 15);
    const answers = runHostCheck(fastExe, cases.map((c) => ({ op: 'verify', publicKey: c.publicKey, signature: c.signature, message: c.message })));
    const disagreements = cases.filter((c, i) => answers[i] !== c.nodeAccepts).map((c) => `${c.what} (${c.message.length} B)`);
    expect(disagreements).toEqual([]);
    // Every valid signature accepted, every flipped one refused: the flips are not vacuous.
    expect(cases.filter((c) => c.what === 'valid').every((c) => c.nodeAccepts)).toBe(true);
    expect(cases.filter((c) => c.what !== 'valid').some((c) => c.nodeAccepts)).toBe(false);
    expect(cases.length).toBeGreaterThan(7000);
  });
});
