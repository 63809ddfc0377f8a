import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, corpusModelNames, readMeta } from '../conformance-corpus.ts';
import { tinyforge } from './run-cli.ts';

describe('tinyforge inspect --json on every corpus model', () => {
  for (const name of corpusModelNames()) {
    it(name, () => {
      const meta = readMeta(name);
      const r = tinyforge(['inspect', join(corpusDir(), meta.model), '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.totals.macs).toBe(meta.totalMacs);
      expect(out.ops.map((o: { index: number; type: string; macs: number }) => [o.index, o.type, o.macs])).toEqual(
        meta.ops.map((o) => [o.index, o.op, o.macs ?? 0]),
      );
      expect(out.ops.map((o: { inputs: number[]; outputs: number[] }) => [o.inputs, o.outputs])).toEqual(
        meta.ops.map((o) => [o.inputs, o.outputs]),
      );
      expect(out.totals.arenaBytes).toBeGreaterThan(0);
      if (meta.tflmArenaUsedBytes) expect(out.totals.arenaBytes).toBeLessThanOrEqual(meta.tflmArenaUsedBytes);
      expect(out.tensors.length).toBeGreaterThan(0);
    });
  }
});

describe('tinyforge inspect on bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-inspect-'));

  it('names the problem in one line and exits 2 for a file that is not a model', () => {
    const path = join(dir, 'notes.tflite');
    writeFileSync(path, 'this is not a flatbuffer at all, just some text');
    const r = tinyforge(['inspect', path]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/TFL3/);
    expect(r.stdout).toBe('');
  });

  it('exits 2 for a missing file', () => {
    const r = tinyforge(['inspect', join(dir, 'nope.tflite')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file/);
  });

  it('exits 64 with usage for a missing argument', () => {
    const r = tinyforge(['inspect']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/usage: tinyforge inspect/);
  });
});
