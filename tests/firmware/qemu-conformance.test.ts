// Every int8 conformance case through real firmware on both emulated boards: the firmware checks the goldens
// itself at boot (self-test), then answers the same inputs over the emulated UART and the host compares.
import { describe, afterAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QEMU_BOARDS, runOnQemu } from '../../targets/qemu/run-on-qemu.ts';
import { int8CorpusModels, loadCorpusModel } from './int8-corpus-models.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-qemu-conf-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

for (const board of QEMU_BOARDS) {
  describe(`conformance on ${board}`, () => {
    for (const name of int8CorpusModels()) {
      it(`${name}: self-test passes and every case is bit-exact`, async () => {
        const { compiled, cases } = loadCorpusModel(name);
        const result = await runOnQemu(compiled, {
          board,
          inputs: cases.map((c) => c.input),
          selftest: cases.map((c) => ({ input: c.input, expected: c.output })),
          workDir: join(work, `${board}-${name}`),
          timeoutMs: 120_000,
        });
        expect(result.bootText).toContain(`selftest: ${cases.length}/${cases.length} pass\n`);
        cases.forEach((c, i) => expect(result.outputs[i], `${name}/${c.name}`).toEqual(c.output));
      }, 180_000);
    }
  });
}
