// tinyforge validate: the firmware on a device against the host runtime, byte for byte. On both QEMU boards over the
// emulated UART (the firmware built by the command itself), and over a real pseudo-terminal (--port) against a
// board whose firmware was built from a different model — so the check is seen to fail.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { corpusDir, goldenCases, readMeta } from '../conformance-corpus.ts';
import { qemuOnPty } from './qemu-on-pty.ts';
import { tinyforge, tinyforgeAsync } from './run-cli.ts';

const work = mkdtempSync(join(tmpdir(), 'tf-validate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const modelPath = (name: string) => join(corpusDir(), readMeta(name).model);

const validateAsync = (args: string[]) => tinyforgeAsync(['validate', ...args]);

describe('tinyforge validate', () => {
  it('hello_world on qemu-mps2-an386: the corpus cases and random inputs, bit-exact with the host and with TFLM', () => {
    const r = tinyforge(['validate', modelPath('hello_world_int8'), '--board', 'qemu-mps2-an386', '--vectors', '12', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ board: 'qemu-mps2-an386', model: 'hello_world_int8', cases: 12, bitExact: true, mismatchingBytes: 0, outputBytes: 12 });
    expect(report.golden).toEqual({ cases: goldenCases('hello_world_int8').length, mismatchingBytes: 0 });
    expect(report.cycles).toHaveLength(12);
    expect(report.cyclesNote).toMatch(/counted no cycles/);
  });

  it('kws_ref_model on qemu-riscv32: bit-exact, cycles from the device turned into time at 160 MHz', () => {
    const r = tinyforge(['validate', modelPath('kws_ref_model'), '--board', 'qemu-riscv32', '--vectors', '6', '--seed', '9']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^6 input\(s\) on qemu-riscv32 \(QEMU\), 72 output bytes compared with the host runtime \(WASM\)$/m);
    expect(r.stdout).toMatch(/^bit-exact: every output byte equals the host's, and TensorFlow Lite Micro's golden on 4 corpus case\(s\)$/m);
    expect(r.stdout).toMatch(/^per inference on the device: median [\d,]+ cycles = [\d.]+ ms at 160 MHz/m);
  });

  it('fails, exit 5, naming the first differing byte, when the board runs firmware built from another model (over a pty, --port)', async () => {
    // hello_world with the weights of its 16×16 layer negated: same inputs and outputs, different numbers.
    const original = new Uint8Array(readFileSync(modelPath('hello_world_int8')));
    const changed = original.slice();
    const view = new DataView(changed.buffer);
    expect(view.getUint32(620, true)).toBe(256); // the 16×16 weight buffer's length
    for (let i = 624; i < 624 + 256; i++) changed[i] = -changed[i]! & 0xff;
    const other = compileTflite(changed, 'hello_world_int8');
    const inputs = Array.from({ length: 256 }, (_, i) => new Uint8Array([i]));
    const [a, b] = [other, compileTflite(original, 'hello_world_int8')].map((m) => Runtime.create(writeBlob(m)));
    const differs = inputs.filter((x) => a!.invoke(x)[0]![0] !== b!.invoke(x)[0]![0]).length;
    expect(differs).toBeGreaterThan(0);

    const board = await qemuOnPty(other, 'qemu-mps2-an386', join(work, 'other'));
    try {
      const r = await validateAsync([modelPath('hello_world_int8'), '--board', 'qemu-mps2-an386', '--port', board.path, '--vectors', '64', '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(5);
      const report = JSON.parse(r.stdout);
      expect(report.device).toBe(board.path);
      expect(report.bitExact).toBe(false);
      expect(report.mismatchingBytes).toBeGreaterThan(0);
      expect(report.firstMismatch).toMatchObject({ index: 0 });
      expect(report.firstMismatch.expected).not.toBe(report.firstMismatch.got);
      const text = await validateAsync([modelPath('hello_world_int8'), '--board', 'qemu-mps2-an386', '--port', board.path, '--vectors', '64']);
      expect(text.code).toBe(5);
      expect(text.stdout).toMatch(/^NOT bit-exact: \d+ byte\(s\) differ in \d+ of 64 case\(s\)$/m);
      expect(text.stdout).toMatch(/^first mismatch: case \S+( \d+)?, output byte 0: expected -?\d+, got -?\d+$/m);
    } finally {
      board.stop();
    }
  });

  it('refuses a real board without --port, and a device that does not answer', () => {
    const r = tinyforge(['validate', modelPath('hello_world_int8'), '--board', 'nucleo-l4r5zi']);
    expect(r.code).toBe(64);
    expect(r.stderr.trim()).toMatch(/^tinyforge validate: --board nucleo-l4r5zi is a real board: give --port <path>/);
    const missing = tinyforge(['validate', modelPath('hello_world_int8'), '--board', 'nucleo-l4r5zi', '--port', '/dev/tinyforge-no-such-port']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^tinyforge validate: cannot open \/dev\/tinyforge-no-such-port: /);
  });
});
