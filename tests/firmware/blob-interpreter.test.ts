// The C blob interpreter (targets/firmware/interpreter), built for this machine under ASan + UBSan: one program
// runs every int8 corpus model from its .tfb blob and gives TensorFlow Lite Micro's bytes for every golden case,
// and refuses broken blobs with the named error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSelftest } from '../../compiler/emit/blob/selftest-section.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { selftestVectors } from '../../cli/firmware-model.ts';
import { crc32 } from '../../lib/crc32.ts';
import { readBlob } from '../../runtime-as/host/read-blob.ts';
import { buildHostInterpreter } from '../../targets/firmware/interpreter/build-host-interpreter.ts';
import { int8CorpusModels, loadCorpusModel } from './int8-corpus-models.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-blob-host-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let host = '';
beforeAll(async () => {
  host = await buildHostInterpreter(join(work, 'build'), { sanitize: true });
}, 120_000);

const sanitizerEnv = { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0', UBSAN_OPTIONS: 'print_stacktrace=1' };

function runBlob(blob: Uint8Array, arena: number, input: Uint8Array = new Uint8Array(0), extra: string[] = []) {
  const file = join(work, `blob-${Math.random().toString(36).slice(2)}.tfb`);
  writeFileSync(file, blob);
  const run = spawnSync(host, [file, String(arena), ...extra], { input, maxBuffer: 64 << 20, env: sanitizerEnv });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr.toString() };
}

/** The blob with its CRC recomputed, so a test reaches the check after the CRC. */
function withCrc(blob: Uint8Array): Uint8Array {
  const out = new Uint8Array(blob);
  new DataView(out.buffer).setUint32(12, crc32(out.subarray(32)), true);
  return out;
}

describe('C blob interpreter on the host under ASan + UBSan', () => {
  it('covers the int8 corpus', () => {
    expect(int8CorpusModels()).toEqual(expect.arrayContaining(['hello_world_int8', 'kws_ref_model', 'pretrainedResnet_quant', 'vww_96_int8']));
  });

  for (const name of int8CorpusModels()) {
    it(`${name}: one interpreter, the model's blob, every golden case bit-exact, sanitizers silent`, () => {
      const { compiled, cases } = loadCorpusModel(name);
      const blob = writeBlob(compiled);
      const { arenaBytes, outputs } = readBlob(blob);
      const outputBytes = outputs.reduce((n, t) => n + t.bytes, 0);
      // An arena of exactly the declared need: a kernel writing past it is a sanitizer report.
      const run = runBlob(blob, arenaBytes, Buffer.concat(cases.map((c) => c.input)));
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout.length).toBe(cases.length * outputBytes);
      cases.forEach((c, i) => {
        expect(new Uint8Array(run.stdout.subarray(i * outputBytes, (i + 1) * outputBytes)), `${name}/${c.name}`).toEqual(c.output);
      });
    });
  }

  it('tf_blob_io gives the sizes, scales and zero points the runtime reads', () => {
    const blob = writeBlob(loadCorpusModel('kws_ref_model').compiled);
    const model = readBlob(blob);
    const run = runBlob(blob, model.arenaBytes, undefined, ['info']);
    expect(run.status).toBe(0);
    const lines = run.stdout.toString().trim().split('\n');
    const sum = (ts: typeof model.inputs) => ts.reduce((n, t) => n + t.bytes, 0);
    expect(lines[0]).toBe(`${model.name} arena=${model.arenaBytes} steps=${model.steps.length} in=${sum(model.inputs)} out=${sum(model.outputs)}`);
    const expected = [...model.inputs.map((t, i) => ['input', i, t] as const), ...model.outputs.map((t, i) => ['output', i, t] as const)].map(
      ([d, i, t]) => `${d} ${i} bytes=${t.bytes} dtype=int8 scale=${Number(Math.fround(t.scale!).toPrecision(9))} zp=${t.zeroPoint} shape=${t.shape.join(',')}`,
    );
    const got = lines.slice(1).map((l) => l.replace(/dtype=0/, 'dtype=int8').replace(/scale=(\S+)/, (_, s) => `scale=${Number(Number(s).toPrecision(9))}`));
    expect(got).toEqual(expected);
  });

  it('runs the self-test vectors a blob carries; the WASM runtime reads the same blob unchanged', () => {
    const { compiled, cases } = loadCorpusModel('kws_ref_model');
    const plain = writeBlob(compiled);
    const model = readBlob(plain);
    const sum = (ts: typeof model.inputs) => ts.reduce((n, t) => n + t.bytes, 0);
    const vectors = [...selftestVectors(compiled), { input: cases[0].input, expected: cases[0].output }];
    const blob = withSelftest(plain, vectors, sum(model.inputs), sum(model.outputs));
    const run = runBlob(blob, model.arenaBytes, undefined, ['selftest']);
    expect(run.stderr).toBe('');
    expect(run.stdout.toString()).toBe('selftest 3/3 pass\n');
    expect(Buffer.concat(Runtime.create(blob).invoke(cases[0].input))).toEqual(Buffer.from(cases[0].output));
    // A wrong expected byte fails that vector; a section that does not fill the blob exactly is refused.
    const wrong = new Uint8Array(blob);
    wrong[blob.length - 1] ^= 1;
    expect(runBlob(withCrc(wrong), model.arenaBytes, undefined, ['selftest']).stdout.toString()).toBe('selftest 2/3 pass\n');
    const short = new Uint8Array(blob);
    new DataView(short.buffer).setUint32(plain.length + 4, 4, true);
    expect(runBlob(withCrc(short), model.arenaBytes).stderr).toContain('tf_blob_open: malformed (-6)');
  });

  describe('refuses a broken blob with a named error, never a crash', () => {
    const blob = writeBlob(loadCorpusModel('hello_world_int8').compiled);
    const arena = readBlob(blob).arenaBytes;
    const view = () => new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    /** Where the first fully_connected_s8 step keeps its pointer count: after its name, op type, 3 u32 and 3 f64. */
    const argCountAt = () => {
      const name = new TextEncoder().encode('fully_connected_s8');
      const at = blob.findIndex((_, i) => name.every((b, k) => blob[i + k] === b));
      return at + name.length + 2 + view().getUint16(at + name.length, true) + 12 + 24;
    };
    const refused = (bytes: Uint8Array, code: number, name: string, capacity = arena) => {
      const run = runBlob(bytes, capacity);
      expect(run.stderr).toContain(`tf_blob_open: ${name} (${code})`);
      expect(run.status).toBe(10 - code);
      return run.stderr;
    };

    it('truncated: fewer bytes than the header says, or than a header', () => {
      refused(blob.subarray(0, blob.length - 1), -1, 'truncated');
      refused(blob.subarray(0, 20), -1, 'truncated');
    });
    it('bad magic and an unknown format version', () => {
      const magic = new Uint8Array(blob);
      magic[0] = 'X'.charCodeAt(0);
      refused(magic, -2, 'bad magic');
      const version = new Uint8Array(blob);
      new DataView(version.buffer).setUint16(4, 2, true);
      refused(version, -3, 'unsupported format version');
    });
    it('bad CRC: one flipped bit in the weights', () => {
      const flipped = new Uint8Array(blob);
      flipped[blob.length - 40] ^= 0x10;
      refused(flipped, -5, 'bad CRC');
    });
    it('unknown kernel id: a step naming a kernel the firmware lacks (step index reported)', () => {
      const name = new TextEncoder().encode('fully_connected_s8');
      const at = blob.findIndex((_, i) => name.every((b, k) => blob[i + k] === b));
      expect(at).toBeGreaterThan(0);
      const renamed = new Uint8Array(blob);
      renamed[at + name.length - 1] = '9'.charCodeAt(0);
      expect(refused(withCrc(renamed), -7, 'unknown kernel')).toContain('step 0');
    });
    it('arena too big: a model needing more arena than the firmware reserves', () => {
      refused(blob, -9, 'arena too small', arena - 1);
      const huge = new Uint8Array(blob);
      new DataView(huge.buffer).setUint32(20, 64 << 20, true);
      expect(refused(withCrc(huge), -9, 'arena too small')).toContain(`arena need ${64 << 20} of ${arena}`);
    });
    it('malformed: a pointer outside the arena, or more I/O records than the blob holds', () => {
      const outside = new Uint8Array(blob);
      const firstPointer = argCountAt() + 3; // u8 pointer count, u16 scalar count, then (u8 kind, u32 offset)…
      expect(outside[firstPointer]).toBe(1); // the input activation, in the arena
      new DataView(outside.buffer).setUint32(firstPointer + 1, arena + 100, true);
      refused(withCrc(outside), -6, 'malformed');
      const io = new Uint8Array(blob);
      new DataView(io.buffer).setUint32(24, 1000, true);
      refused(withCrc(io), -6, 'malformed');
    });
    it('a wrong argument count for a known kernel', () => {
      const bad = new Uint8Array(blob);
      bad[argCountAt()] -= 1;
      refused(withCrc(bad), -8, 'kernel argument count');
    });
  });
});
