// Every C kernel against the WASM runtime's kernel on one-op graphs: built for the host under ASan + UBSan, and
// the convolution family (which has Cortex-M DSP paths) also on both emulated boards.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../compiler/compile-model.ts';
import { planArena } from '../../compiler/plan/arena-plan.ts';
import { discoverKernelLayouts } from '../../compiler/emit/c/kernel-params-header.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { buildHostModel } from '../../targets/c/build-host-model.ts';
import { QEMU_BOARDS, runOnQemu } from '../../targets/qemu/run-on-qemu.ts';
import { oneOpCases, randomLayerCases, type OneOpCase } from './one-op-graphs.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-c-vs-wasm-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The WASM runtime's bytes with an arena where no output overlaps its input: so a C kernel that breaks the row-streaming promise the overlapped plan relies on fails here. */
function expected(c: OneOpCase): Uint8Array {
  const compiled = compileGraph(c.graph);
  const plain = { ...compiled, plan: planArena(compiled.graph, compiled.prepared.map(({ rowStream: _, ...p }) => p)) };
  return new Uint8Array(Buffer.concat(Runtime.create(writeBlob(plain)).invoke(c.input)));
}

describe('C kernels vs the WASM runtime, host build under sanitizers', () => {
  const cases = [...oneOpCases(), ...randomLayerCases(11, 12)];

  it('cover every kernel layout that prepare declares', async () => {
    const used = new Set(cases.flatMap((c) => compileGraph(c.graph).prepared.map((p) => p.layout.name)));
    const declared = (await discoverKernelLayouts()).map((l) => l.name);
    expect(declared.filter((k) => !used.has(k) && k !== 'reshape_s8')).toEqual([]);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const build = await buildHostModel(compileGraph(c.graph), join(work, c.name), { sanitize: true });
      const run = spawnSync(build.executable, [], { input: c.input });
      expect(run.stderr.toString()).toBe('');
      expect(run.status).toBe(0);
      expect(new Uint8Array(run.stdout)).toEqual(expected(c));
    }, 60_000);
  }
});

for (const board of QEMU_BOARDS) {
  describe(`convolution kernels vs the WASM runtime on ${board}`, () => {
    for (const c of randomLayerCases(23, 6)) {
      it(c.name, async () => {
        const result = await runOnQemu(compileGraph(c.graph), { board, inputs: [c.input], workDir: join(work, `${board}-${c.name}`) });
        expect(result.outputs[0]).toEqual(expected(c));
      }, 60_000);
    }
  });
}
