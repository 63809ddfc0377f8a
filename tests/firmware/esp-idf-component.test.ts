// The ESP-IDF component: CMakeLists.txt lists exactly the sources shipped, and they compile and run on the host.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, afterAll, expect, it } from 'vitest';
import { exportEspIdfComponent } from '../../targets/firmware/esp-idf-component.ts';
import { loadCorpusModel } from './int8-corpus-models.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-esp-idf-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const hostMain = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'targets', 'c', 'host', 'host-main.c');

describe('ESP-IDF component export', () => {
  it('writes a component whose C compiles with the host gcc and reproduces the goldens', () => {
    const { compiled, cases } = loadCorpusModel('kws_ref_model');
    const dir = join(work, 'kws');
    const component = exportEspIdfComponent(compiled, dir, 'kws_ref_model');
    const cmake = readFileSync(join(dir, 'CMakeLists.txt'), 'utf8');
    expect(cmake).toMatch(/^idf_component_register\(/m);
    expect(cmake).toContain('INCLUDE_DIRS "." "kernels"');
    const shipped = ['model.c', ...readdirSync(join(dir, 'kernels')).filter((f) => f.endsWith('.c')).map((f) => `kernels/${f}`)];
    expect([...component.sources].sort()).toEqual(shipped.sort());
    for (const s of component.sources) expect(cmake).toContain(`"${s}"`);
    expect(readFileSync(join(dir, 'model.c'), 'utf8')).not.toContain('.tf_weights');

    const exe = join(work, 'kws-host');
    execFileSync('gcc', ['-std=gnu99', '-O2', '-Wall', '-Wextra', '-Werror', `-I${dir}`, `-I${join(dir, 'kernels')}`, hostMain,
      ...component.sources.map((s) => join(dir, s)), '-o', exe]);
    const run = spawnSync(exe, [], { input: Buffer.concat(cases.map((c) => c.input)) });
    expect(run.status).toBe(0);
    cases.forEach((c, i) => expect(new Uint8Array(run.stdout.subarray(i * 12, (i + 1) * 12)), c.name).toEqual(c.output));
  }, 60_000);
});
