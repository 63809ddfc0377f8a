// `tinyforge export --as cmake`: the project builds with Debian's cmake and arm-none-eabi-gcc, the image is the
// one `tinyforge build` links byte for byte, and in QEMU it answers TensorFlow Lite Micro's golden inputs with
// the goldens' output bytes, as the `build` image does. The host build (-DTINYFORGE_HOST=ON) gives them too.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { run as build } from '../../cli/commands/build.ts';
import { run as exportCommand } from '../../cli/commands/export.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { runQemu } from '../../targets/qemu/run-qemu.ts';
import { COMMAND, encodeRequest, parseResponses } from '../../targets/qemu/serial-frames.ts';
import { corpusDir, goldenCases } from '../conformance-corpus.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-export-cmake-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
const model = (name: string) => join(corpusDir(), 'models', `${name}.tflite`);
const quiet = () => vi.spyOn(console, 'log').mockImplementation(() => {});

function cmakeBuild(project: string, buildDir: string, extra: string[] = []): void {
  execFileSync('cmake', ['-S', project, '-B', buildDir, ...extra], { stdio: 'pipe' });
  execFileSync('cmake', ['--build', buildDir], { stdio: 'pipe' });
}

/** Boots an image on mps2-an386, sends each input as an invoke frame, returns the boot text and the outputs. */
async function answers(elf: string, inputs: Uint8Array[]): Promise<{ text: string; outputs: Uint8Array[]; exitCode: number }> {
  const frames = [...inputs.map((x) => encodeRequest(COMMAND.invoke, x)), encodeRequest(COMMAND.quit, new Uint8Array([0]))];
  const r = await runQemu({ target: firmwareTarget('qemu-mps2-an386'), elf, serialInput: Buffer.concat(frames) });
  const { text, responses } = parseResponses(r.serialOutput, 'TF-READY\n');
  return { text, exitCode: r.exitCode, outputs: responses.slice(0, inputs.length).map((x) => { expect(x.status).toBe(0); return x.payload.slice(8); }) };
}

describe('tinyforge export --as cmake', () => {
  for (const name of ['hello_world_int8', 'kws_ref_model']) {
    it(`${name}: cmake builds the image tinyforge build links, and it answers the TFLM goldens in QEMU`, async () => {
      quiet();
      const built = join(work, `${name}-build`);
      const project = join(work, `${name}-cmake`);
      expect(await build([model(name), '--board', 'qemu-mps2-an386', '--out', built])).toBe(0);
      expect(await exportCommand([model(name), '--as', 'cmake', '--board', 'qemu-mps2-an386', '--out', project])).toBe(0);
      const out = join(project, 'build');
      cmakeBuild(project, out);
      expect(readFileSync(join(out, 'firmware.bin')).equals(readFileSync(join(built, 'firmware.bin')))).toBe(true);

      const cases = goldenCases(name);
      const inputs = cases.map((c) => c.input);
      const fromCmake = await answers(join(out, 'firmware.elf'), inputs);
      const fromBuild = await answers(join(built, 'firmware.elf'), inputs);
      expect(fromCmake.text).toContain('selftest: 2/2 pass\nTF-READY\n');
      expect(fromCmake.text).toBe(fromBuild.text);
      expect(fromCmake.exitCode).toBe(0);
      cases.forEach((c, i) => {
        expect(fromCmake.outputs[i], c.name).toEqual(c.output);
        expect(fromCmake.outputs[i], c.name).toEqual(fromBuild.outputs[i]);
      });

      // The same project, built for this computer.
      const host = join(project, 'build-host');
      cmakeBuild(project, host, ['-DTINYFORGE_HOST=ON']);
      const r = spawnSync(join(host, 'model-host'), [], { input: Buffer.concat(inputs) });
      expect(r.status).toBe(0);
      const size = cases[0]!.output.length;
      cases.forEach((c, i) => expect(new Uint8Array(r.stdout.subarray(i * size, (i + 1) * size)), c.name).toEqual(c.output));
    }, 240_000);
  }

  for (const board of ['nucleo-l4r5zi', 'stm32f746g-disco', 'nrf52840-dk']) {
    it(`${board}: the CMake image is byte for byte the one tinyforge build links`, async () => {
      quiet();
      const built = join(work, `hello-${board}-build`);
      const project = join(work, `hello-${board}-cmake`);
      expect(await build([model('hello_world_int8'), '--board', board, '--out', built])).toBe(0);
      expect(await exportCommand([model('hello_world_int8'), '--as', 'cmake', '--board', board, '--out', project])).toBe(0);
      cmakeBuild(project, join(project, 'build'));
      expect(readFileSync(join(project, 'build', 'firmware.bin')).equals(readFileSync(join(built, 'firmware.bin')))).toBe(true);
    }, 120_000);
  }
});
