// keygen, sign and verify through the real CLI: a valid update verifies (exit 0); a changed model, header or
// signature, another key, a truncated file and a file that is no update each exit 4 with one line naming which.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { UPDATE_FIELDS, UPDATE_HEADER_BYTES } from '../../formats/update/update-format.ts';
import { readModel } from '../conformance-corpus.ts';
import { tinyforge } from '../cli/run-cli.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-sign-'));
const keys = join(work, 'keys');
const other = join(work, 'other-keys');
const model = join(work, 'model.tfb');
const update = join(work, 'update.tfu');
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  writeFileSync(model, writeBlob(compileTflite(readModel('hello_world_int8'))));
  expect(tinyforge(['keygen', '--out', keys]).code).toBe(0);
  expect(tinyforge(['keygen', '--out', other]).code).toBe(0);
  const signed = tinyforge(['sign', model, '--key', join(keys, 'update-key.pem'), '--out', update, '--version', '7']);
  expect(signed.code, signed.stderr).toBe(0);
});

function verifyVariant(bytes: Uint8Array, pub = join(keys, 'update-key.pub.pem')) {
  const path = join(work, `variant-${Math.random().toString(36).slice(2)}.tfu`);
  writeFileSync(path, bytes);
  return tinyforge(['verify', path, '--pub', pub]);
}

describe('tinyforge keygen / sign / verify', () => {
  it('keygen writes a private key only its owner can read, and refuses to overwrite it', () => {
    expect(statSync(join(keys, 'update-key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(keys, 'update-key.pub.pem'), 'utf8')).toContain('BEGIN PUBLIC KEY');
    const again = tinyforge(['keygen', '--out', keys]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists.*--force/);
  });

  it('sign writes the model behind a 128-byte header; verify accepts it (exit 0) and names the version', () => {
    const bytes = readFileSync(update);
    expect(bytes.length).toBe(UPDATE_HEADER_BYTES + statSync(model).size);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('TFUP');
    expect(bytes.readUInt32LE(UPDATE_FIELDS.modelVersion.offset)).toBe(7);
    const r = tinyforge(['verify', update, '--pub', join(keys, 'update-key.pub.pem')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/valid — model version 7/);
    const json = tinyforge(['verify', update, '--pub', join(keys, 'update-key.pub.pem'), '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, modelVersion: 7 });
  });

  const original = () => new Uint8Array(readFileSync(update));
  const cases: [string, () => Uint8Array, RegExp, string?][] = [
    ['a model byte changed', () => { const b = original(); b[UPDATE_HEADER_BYTES + 40] ^= 0x01; return b; }, /hash: the payload's SHA-256/],
    ['the version raised after signing', () => { const b = original(); b[UPDATE_FIELDS.modelVersion.offset] = 9; return b; }, /signature: /],
    ['a signature bit flipped', () => { const b = original(); b[UPDATE_FIELDS.signature.offset + 5] ^= 0x10; return b; }, /signature: /],
    ['truncated', () => original().subarray(0, 1000), /header: says \d+ payload bytes, the file holds 872/],
    ['shorter than a header', () => original().subarray(0, 60), /header: the file has 60 bytes/],
    ['not an update (the bare model)', () => new Uint8Array(readFileSync(model)), /header: magic is "TFGB"/],
  ];
  for (const [what, make, message] of cases) {
    it(`refuses an update with ${what}: exit 4, one line`, () => {
      const r = verifyVariant(make());
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('refuses a valid update under another key: exit 4, signature', () => {
    const r = verifyVariant(original(), join(other, 'update-key.pub.pem'));
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/signature: .*does not verify with this public key/);
  });

  it('refuses to sign what is not a model blob, and a key that is not a private key (exit 2)', () => {
    const notBlob = tinyforge(['sign', join(keys, 'update-key.pub.pem'), '--key', join(keys, 'update-key.pem'), '--out', join(work, 'x.tfu')]);
    expect(notBlob.code).toBe(2);
    expect(notBlob.stderr).toMatch(/not a tinyforge blob/);
    const badKey = tinyforge(['sign', model, '--key', join(keys, 'update-key.pub.pem'), '--out', join(work, 'y.tfu')]);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/not a private key/);
  });
});
