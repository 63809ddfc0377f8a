import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNpy } from '../../compiler/input-data/npy.ts';
import { corpusDir, goldenCases, readMeta } from '../conformance-corpus.ts';
import { tinyforge } from './run-cli.ts';

describe('tinyforge run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-run-'));
  const model = () => join(corpusDir(), readMeta('kws_ref_model').model);
  const sample = () => goldenCases('kws_ref_model').find((c) => c.name === 'sample0')!;

  it('turns raw input bytes into the golden output bytes, with SIMD and scalar kernels', () => {
    const input = join(dir, 'in.bin');
    writeFileSync(input, sample().input);
    for (const flags of [[], ['--scalar']]) {
      const out = join(dir, `out${flags.length}.bin`);
      const r = tinyforge(['run', model(), '--input', input, '--output', out, ...flags]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(new Uint8Array(readFileSync(out))).toEqual(sample().output);
    }
  });

  it('accepts an int8 .npy input and times repeated runs', () => {
    const input = join(dir, 'in.npy');
    writeFileSync(input, writeNpy({ dtype: 'int8', shape: [1, 49, 10, 1], data: sample().input }));
    const out = join(dir, 'npy-out.bin');
    const r = tinyforge(['run', model(), '--input', input, '--output', out, '--repeat', '5']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^median_us=\d+\.\d min_us=\d+\.\d\n$/);
    expect(new Uint8Array(readFileSync(out))).toEqual(sample().output);
  });

  it('refuses an input of the wrong size, naming both sizes, and writes no output', () => {
    const input = join(dir, 'short.bin');
    writeFileSync(input, new Uint8Array(100));
    const out = join(dir, 'never.bin');
    const r = tinyforge(['run', model(), '--input', input, '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has 100 bytes, the model expects 490 bytes/);
    expect(existsSync(out)).toBe(false);
  });

  it('takes a fixed number of warm-up inferences with --warmup, and refuses --warmup without --repeat', () => {
    const input = join(dir, 'in.bin');
    writeFileSync(input, sample().input);
    const out = join(dir, 'warm-out.bin');
    const r = tinyforge(['run', model(), '--input', input, '--output', out, '--repeat', '3', '--warmup', '2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^median_us=\d+\.\d min_us=\d+\.\d\n$/);
    expect(new Uint8Array(readFileSync(out))).toEqual(sample().output);
    const bad = tinyforge(['run', model(), '--input', input, '--output', join(dir, 'no.bin'), '--warmup', '2']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/--warmup goes with --repeat N/);
    expect(existsSync(join(dir, 'no.bin'))).toBe(false);
  });

  it('names a missing option', () => {
    const r = tinyforge(['run', model(), '--input', 'x.bin']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/--output/);
  });
});
