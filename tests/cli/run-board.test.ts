import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, goldenCases, readMeta } from '../conformance-corpus.ts';
import { tinyforge } from './run-cli.ts';

describe('tinyforge run --board (generated firmware in QEMU)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-run-board-'));

  it('gives the golden bytes on the Cortex-M4 board and counts instructions per op', () => {
    const [c] = goldenCases('hello_world_int8');
    writeFileSync(join(dir, 'in.bin'), c.input);
    const r = tinyforge([
      'run', join(corpusDir(), readMeta('hello_world_int8').model), '--board', 'qemu-mps2-an386',
      '--input', join(dir, 'in.bin'), '--output', join(dir, 'out.bin'), '--count', '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(new Uint8Array(readFileSync(join(dir, 'out.bin')))).toEqual(c.output);
    const counts = JSON.parse(r.stdout);
    expect(counts.ops.map((o: { op: string; macs: number }) => [o.op, o.macs])).toEqual([
      ['FULLY_CONNECTED', 16], ['FULLY_CONNECTED', 256], ['FULLY_CONNECTED', 16],
    ]);
    expect(counts.instructions).toBeGreaterThanOrEqual(counts.ops.reduce((n: number, o: { instructions: number }) => n + o.instructions, 0));
  });

  it('names the boards it can emulate', () => {
    writeFileSync(join(dir, 'one.bin'), new Uint8Array(1));
    const r = tinyforge(['run', join(corpusDir(), readMeta('hello_world_int8').model), '--board', 'nucleo-l4r5zi', '--input', join(dir, 'one.bin'), '--output', join(dir, 'x.bin')]);
    expect(r.code).toBe(64);
    expect(r.stderr.trim()).toMatch(/^tinyforge run: board 'nucleo-l4r5zi' can simulate, build, flash, export, not run; boards that run models \(in QEMU\): qemu-mps2-an386, qemu-riscv32$/);
  });
});
