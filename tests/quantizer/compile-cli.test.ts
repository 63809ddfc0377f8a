// `tinyforge compile` as a user runs it: the files it writes, and how it refuses bad input.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, afterAll, beforeAll, expect, it } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { readTflite } from '../../compiler/tflite/read-tflite.ts';
import { writeCArray } from '../../compiler/emit/c-array/write-c-array.ts';
import { corpusDir } from '../conformance-corpus.ts';
import { tinyforge } from '../cli/run-cli.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';

function hasCompiler(cc: string): boolean {
  try {
    execFileSync(cc, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('tinyforge compile', () => {
  let dir = '';
  const model = () => join(corpusDir(), 'models', 'hello_world_float.tflite');
  const calib = () => join(corpusDir(), 'calibration', 'hello_world_calib_x.npy');
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'tinyforge-compile-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the int8 .tflite, C arrays, runtime blob and accuracy report', () => {
    const out = join(dir, 'hello');
    const r = tinyforge(['compile', model(), '--calibration', calib(), '--out', out, '--io', 'float32', '--name', 'g_hello_model', '--calibration-samples', '100']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hello_world_float: 5 int8 ops, calibrated on 100 samples \(minmax/);
    expect(r.stdout).toMatch(/output error: max/);
    expect(readdirSync(out).sort()).toEqual(['model.tfb', 'model_data.c', 'model_data.h', 'model_int8.tflite', 'quant-report.json']);

    const tflite = new Uint8Array(readFileSync(join(out, 'model_int8.tflite')));
    const m = readTflite(tflite, 'x');
    expect(m.operatorCodes.map((c) => c.name)).toEqual(['QUANTIZE', 'FULLY_CONNECTED', 'DEQUANTIZE']);

    const h = readFileSync(join(out, 'model_data.h'), 'utf8');
    const c = readFileSync(join(out, 'model_data.c'), 'utf8');
    expect(h).toMatch(/#ifndef MODEL_DATA_H_\n#define MODEL_DATA_H_/);
    expect(h).toContain('extern const unsigned char g_hello_model[];');
    expect(h).toContain('extern const unsigned int g_hello_model_len;');
    expect(c).toContain('alignas(16) const unsigned char g_hello_model[] = {');
    expect(c).toContain(`const unsigned int g_hello_model_len = ${tflite.length};`);
    const bytes = [...c.matchAll(/0x([0-9a-f]{2})/g)].map((x) => parseInt(x[1]!, 16));
    expect(Uint8Array.from(bytes)).toEqual(tflite);

    // The blob and the .tflite are the same model.
    const fromBlob = Runtime.create(new Uint8Array(readFileSync(join(out, 'model.tfb'))));
    const fromTflite = Runtime.create(writeBlob(compileTflite(tflite)));
    const x = new Uint8Array(new Float32Array([1.25]).buffer);
    expect(fromBlob.invoke([x])).toEqual(fromTflite.invoke([x]));
    expect(Math.abs(new Float32Array(fromBlob.invoke([x])[0]!.buffer)[0]! - Math.sin(1.25))).toBeLessThan(0.1);

    const report = JSON.parse(readFileSync(join(out, 'quant-report.json'), 'utf8'));
    expect(report.calibration).toMatchObject({ samples: 100, estimator: 'minmax' });
    expect(report.accuracy.task).toBe('regression');
    expect(report.accuracy.samples).toBe(200);
    expect(report.accuracy.layers).toHaveLength(3);
    expect(report.passes.map((p: { name: string }) => p.name)).toEqual(['drop-identity', 'fold-constants', 'fold-batch-norm', 'lower-batch-norm', 'fuse-activation']);
  });

  it.runIf(hasCompiler('cc') && hasCompiler('c++'))('the C array compiles as C11 and as C++, 16-byte aligned', () => {
    const out = join(dir, 'c');
    mkdirSync(out);
    const files = writeCArray(Uint8Array.from({ length: 100 }, (_, i) => i), 'g_model');
    writeFileSync(join(out, files.headerName), files.header);
    writeFileSync(join(out, 'model_data.c'), files.source);
    writeFileSync(join(out, 'main.c'), '#include <stdint.h>\n#include "model_data.h"\n' +
      'int main(void) { return ((uintptr_t)g_model % 16 == 0 && g_model_len == 100 && g_model[99] == 99) ? 0 : 1; }\n');
    execFileSync('cc', ['-std=c11', '-Wall', '-Werror', '-o', join(out, 'c-test'), join(out, 'model_data.c'), join(out, 'main.c')]);
    execFileSync(join(out, 'c-test'));
    writeFileSync(join(out, 'use.cc'), '#include "model_data.h"\nunsigned int f() { return g_model_len + g_model[4]; }\n');
    execFileSync('c++', ['-std=c++11', '-Wall', '-Werror', '-x', 'c++', '-c', join(out, 'model_data.c'), '-o', join(out, 'cc.o')]);
    execFileSync('c++', ['-std=c++11', '-Wall', '-Werror', '-I', out, '-c', join(out, 'use.cc'), '-o', join(out, 'use.o')]);
  });

  it('lists the graph passes', () => {
    const r = tinyforge(['compile', '--passes', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['drop-identity', 'fold-constants', 'fold-batch-norm', 'lower-batch-norm', 'fuse-activation']);
  });

  it('refuses bad input with one line on stderr and writes nothing', () => {
    const out = join(dir, 'bad');
    const cases: [string[], RegExp][] = [
      [['--calibration', join(dir, 'missing.npy')], /calibration data .*missing\.npy does not exist/],
      [['--calibration', calib(), '--name', '3d-model'], /--name '3d-model' is not a usable C identifier .* try '_3d_model'/],
      [['--calibration', calib(), '--passes', 'fold-everything'], /unknown pass fold-everything; passes are drop-identity/],
      [['--calibration', calib(), '--io', 'int16'], /--io: /],
    ];
    for (const [args, message] of cases) {
      const r = tinyforge(['compile', model(), '--out', out, ...args]);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    // hello_world's 1000 scalar samples are not 49×10 MFCC inputs, …
    const kws = join(corpusDir(), 'models', 'kws_ref_model_float32.tflite');
    const r = tinyforge(['compile', kws, '--out', out, '--calibration', calib()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hello_world_calib_x\.npy: shape \[1000, 1\] is not samples of the model's input \[49, 10, 1\]/);
    expect(existsSync(out)).toBe(false);
    // … and 360 MFCC clips are not 176,400 samples of hello_world's scalar input, though the values divide evenly.
    const wrong = tinyforge(['compile', model(), '--out', out, '--calibration', join(corpusDir(), 'calibration', 'kws_calib_x.npy')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/kws_calib_x\.npy: shape \[360, 49, 10, 1\] is not samples of the model's input \[1\]/);
    expect(existsSync(out)).toBe(false);
  });
});
