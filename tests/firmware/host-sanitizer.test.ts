// The generated C and the C kernels, built for this machine under AddressSanitizer and UndefinedBehaviorSanitizer,
// reproduce every int8 conformance golden with no sanitizer report.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, afterAll, expect, it } from 'vitest';
import { buildHostModel } from '../../targets/c/build-host-model.ts';
import { int8CorpusModels, loadCorpusModel } from './int8-corpus-models.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-host-c-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('generated C on the host under ASan + UBSan', () => {
  it('covers the int8 corpus', () => {
    expect(int8CorpusModels()).toEqual(expect.arrayContaining(['hello_world_int8', 'kws_ref_model', 'pretrainedResnet_quant']));
  });

  for (const name of int8CorpusModels()) {
    it(`${name}: every case bit-exact, sanitizers silent`, async () => {
      const { compiled, cases } = loadCorpusModel(name);
      const build = await buildHostModel(compiled, join(work, name), { sanitize: true });
      const run = spawnSync(build.executable, [], {
        input: Buffer.concat(cases.map((c) => c.input)),
        maxBuffer: 64 << 20,
        env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0', UBSAN_OPTIONS: 'print_stacktrace=1' },
      });
      expect(run.stderr.toString()).toBe('');
      expect(run.status).toBe(0);
      cases.forEach((c, i) => {
        const got = new Uint8Array(run.stdout.subarray(i * build.outputBytes, (i + 1) * build.outputBytes));
        expect(got, `${name}/${c.name}`).toEqual(c.output);
      });
    });
  }

  it('builds a model whose C name is "model" (its macros must not define themselves)', async () => {
    const { compiled, cases } = loadCorpusModel('hello_world_int8');
    const build = await buildHostModel(compiled, join(work, 'named-model'), { name: 'model' });
    const run = spawnSync(build.executable, [], { input: Buffer.concat(cases.map((c) => c.input)) });
    expect(run.status).toBe(0);
    expect(new Uint8Array(run.stdout.subarray(0, build.outputBytes))).toEqual(cases[0].output);
  });
});
