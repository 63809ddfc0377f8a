// `tinyforge build`: firmware files for every board, an Intel HEX that matches the binary, a size table,
// and an image that boots and passes its own self-test.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, afterAll, afterEach, expect, it, vi } from 'vitest';
import { CliError } from '../../cli/cli-error.ts';
import { run } from '../../cli/commands/build.ts';
import { BOARDS_DIR } from '../../targets/boards/load-board.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { runQemu } from '../../targets/qemu/run-qemu.ts';
import { COMMAND, encodeRequest, parseResponses } from '../../targets/qemu/serial-frames.ts';
import { corpusDir } from '../conformance-corpus.ts';

const MemoryMap = createRequire(import.meta.url)('nrf-intel-hex') as typeof import('nrf-intel-hex').default;
const work = mkdtempSync(join(tmpdir(), 'tinyforge-build-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function captureStdout(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  return lines;
}

const model = (name: string) => join(corpusDir(), 'models', `${name}.tflite`);

describe('tinyforge build', () => {
  it('writes elf, bin and hex for qemu-mps2-an386 with a size table, and the image passes its self-test', async () => {
    const out = join(work, 'kws-m4');
    const stdout = captureStdout();
    expect(await run([model('kws_ref_model'), '--board', 'qemu-mps2-an386', '--out', out])).toBe(0);
    const table = stdout.join('\n');
    for (const row of ['text', 'rodata', 'weights (.tf_weights)', 'data', 'bss', 'code besides weights', 'RAM (data+bss+stack)']) {
      expect(table).toContain(row);
    }
    expect(table).toContain('simulator');
    for (const f of ['firmware.elf', 'firmware.bin', 'firmware.hex', 'src/model.c', 'src/model.h']) expect(existsSync(join(out, f))).toBe(true);
    expect(existsSync(`${out}.tmp-${process.pid}`)).toBe(false);

    const hex = MemoryMap.fromHex(readFileSync(join(out, 'firmware.hex'), 'utf8'));
    expect(hex.get(0)).toEqual(new Uint8Array(readFileSync(join(out, 'firmware.bin'))));

    const boot = await runQemu({
      target: firmwareTarget('qemu-mps2-an386'),
      elf: join(out, 'firmware.elf'),
      serialInput: Buffer.concat([encodeRequest(COMMAND.invoke, new Uint8Array(490)), encodeRequest(COMMAND.quit, new Uint8Array([0]))]),
    });
    expect(Buffer.from(boot.serialOutput).toString('latin1')).toContain('selftest: 2/2 pass\nTF-READY\n');
    expect(boot.exitCode).toBe(0);
    // The stack the build reserved covers what an inference really used (painted-stack high-water mark).
    const [answer] = parseResponses(boot.serialOutput, 'TF-READY\n').responses;
    const stackUsed = Buffer.from(answer.payload).readUInt32LE(4);
    const reserved = Number(/stack \(reserved\)\s+([\d,]+)/.exec(table)![1].replace(/,/g, ''));
    expect(stackUsed).toBeGreaterThan(0);
    expect(stackUsed).toBeLessThan(reserved);
  }, 120_000);

  it('reports the size table as JSON, RAM within 5% of the simulator for kws_ref_model', async () => {
    const stdout = captureStdout();
    expect(await run([model('kws_ref_model'), '--board', 'qemu-mps2-an386', '--out', join(work, 'kws-json'), '--json'])).toBe(0);
    const report = JSON.parse(stdout.join('\n'));
    expect(report.code).toBe(report.sections.text + report.sections.rodata + report.sections.data);
    expect(report.code).toBeLessThanOrEqual(16 * 1024);
    expect(Math.abs(report.ram - report.prediction.ram) / report.prediction.ram).toBeLessThan(0.05);
  }, 120_000);

  for (const board of ['qemu-riscv32', 'nucleo-l4r5zi', 'stm32f746g-disco', 'nrf52840-dk']) {
    it(`builds hello_world_int8 for ${board} with the vector table or entry where the board boots`, async () => {
      const out = join(work, `hello-${board}`);
      captureStdout();
      expect(await run([model('hello_world_int8'), '--board', board, '--out', out])).toBe(0);
      const bin = readFileSync(join(out, 'firmware.bin'));
      if (board === 'qemu-riscv32') {
        // QEMU virt with -bios none jumps to the start of RAM: the ELF entry point and the image start there.
        expect(readFileSync(join(out, 'firmware.elf')).readUInt32LE(24)).toBe(0x80000000);
        return;
      }
      // Cortex-M: word 0 is the initial stack pointer (in RAM), word 1 the reset handler (Thumb, in flash).
      const flashBase = { 'nucleo-l4r5zi': 0x08000000, 'stm32f746g-disco': 0x08000000, 'nrf52840-dk': 0 }[board]!;
      const sp = bin.readUInt32LE(0);
      const reset = bin.readUInt32LE(4);
      expect(sp >>> 28).toBe(2);
      expect(reset & 1).toBe(1);
      expect(reset - flashBase).toBeGreaterThan(0);
      expect(reset - flashBase).toBeLessThan(bin.length);
    }, 120_000);
  }

  it('exports an ESP-IDF component for an ESP32 board', async () => {
    const out = join(work, 'esp32');
    const stdout = captureStdout();
    expect(await run([model('hello_world_int8'), '--board', 'esp32-devkitc', '--out', out])).toBe(0);
    expect(stdout.join('\n')).toContain("call tf_hello_world_int8_invoke() from model.h");
    expect(readFileSync(join(out, 'CMakeLists.txt'), 'utf8')).toContain('"kernels/fully_connected_s8.c"');
  });

  it('takes a compiled folder (model_int8.tflite) and names the model after the folder', async () => {
    const folder = join(work, 'keyword_spotter');
    mkdirSync(folder, { recursive: true });
    copyFileSync(model('hello_world_int8'), join(folder, 'model_int8.tflite'));
    captureStdout();
    expect(await run([folder, '--board', 'qemu-riscv32', '--out', join(work, 'from-folder')])).toBe(0);
    expect(readFileSync(join(work, 'from-folder', 'src', 'model.h'), 'utf8')).toContain('int tf_keyword_spotter_invoke(const int8_t *input, int8_t *output);');
  });

  it('refuses a folder without model_int8.tflite', async () => {
    await expect(run([work, '--board', 'qemu-riscv32'])).rejects.toThrow(/has no model_int8.tflite/);
  });

  it('refuses an unknown board with the list of boards', async () => {
    await expect(run([model('hello_world_int8'), '--board', 'arduino-uno'])).rejects.toThrow(
      /unknown board 'arduino-uno'; boards that build firmware \(or an ESP-IDF component\): esp32-c3-devkitm, esp32-devkitc, /,
    );
  });

  it('refuses a model that does not fit the board with the simulator\'s numbers (exit 3), before compiling anything', async () => {
    // nRF52840-DK's own board file with 8 KB of SRAM: the keyword model needs 17 KB (16 KB of it arena).
    const board = JSON.parse(readFileSync(join(BOARDS_DIR, 'nrf52840-dk.json'), 'utf8'));
    board.memory = board.memory.map((r: { kind: string; bytes: number }) => (r.kind === 'sram' ? { ...r, bytes: 8192 } : r));
    const file = join(work, 'small-nrf.json');
    writeFileSync(file, JSON.stringify(board));
    const out = join(work, 'too-small');
    const err = await run([model('kws_ref_model'), '--board-file', file, '--out', out]).catch((e: unknown) => e as CliError);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(3);
    expect((err as CliError).message).toMatch(/kws_ref_model does not fit nrf52840-dk: SRAM needs [\d,]+ B of [\d,]+ B/);
    expect(existsSync(out)).toBe(false);
  });

  it('names the apt-get line when the cross compiler is missing', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(run([model('hello_world_int8'), '--board', 'nrf52840-dk', '--out', join(work, 'no-gcc')])).rejects.toThrow(
        'sudo apt-get install -y gcc-arm-none-eabi libnewlib-arm-none-eabi',
      );
    } finally {
      process.env.PATH = saved;
    }
    expect(existsSync(join(work, 'no-gcc', 'firmware.elf'))).toBe(false);
  });
});
