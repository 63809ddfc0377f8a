// keygen, sign and verify through the real CLI: a valid update verifies (exit 0); a changed model, header or
// signature, another key, a truncated file and a file that is no update each exit 4 with one line naming which.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { UPDATE_FIELDS, UPDATE_HEADER_BYTES } from '../../formats/update/update-format.ts';
import { corpusDir, readModel } from '../conformance-corpus.ts';
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

  it('sign and verify say how many self-test vectors the update carries: 2 from compile, a warning for a blob with none', () => {
    // The blob above is a bare writeBlob (no TFST section): a device's trial would run nothing.
    const bare = tinyforge(['sign', model, '--key', join(keys, 'update-key.pem'), '--out', join(work, 'bare.tfu')]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/0 self-test vectors/);
    expect(bare.stderr).toMatch(/warning: .*carries no self-test vectors: a device on trial of this update runs none \(0\/0\)/);
    const bareVerify = tinyforge(['verify', join(work, 'bare.tfu'), '--pub', join(keys, 'update-key.pub.pem'), '--json']);
    expect(bareVerify.code).toBe(0);
    expect(JSON.parse(bareVerify.stdout)).toMatchObject({ valid: true, selftestVectors: 0 });
    expect(bareVerify.stderr).toMatch(/warning: .*no self-test vectors/);

    // compile's model.tfb carries two.
    const out = join(work, 'compiled');
    const compiled = tinyforge(['compile', join(corpusDir(), 'models', 'hello_world_float.tflite'), '--calibration', join(corpusDir(), 'calibration', 'hello_world_calib_x.npy'), '--out', out]);
    expect(compiled.code, compiled.stderr).toBe(0);
    expect(compiled.stdout).toMatch(/model\.tfb \(\d+ B, 2 self-test vectors\)/);
    const signed = tinyforge(['sign', join(out, 'model.tfb'), '--key', join(keys, 'update-key.pem'), '--out', join(work, 'compiled.tfu'), '--version', '8']);
    expect(signed.code).toBe(0);
    expect(signed.stdout).toMatch(/2 self-test vectors/);
    expect(signed.stderr).toBe('');
    const verified = tinyforge(['verify', join(work, 'compiled.tfu'), '--pub', join(keys, 'update-key.pub.pem')]);
    expect(verified.stdout).toMatch(/valid — model version 8, \d+ B model, 2 self-test vectors/);
    expect(verified.stderr).toBe('');
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
