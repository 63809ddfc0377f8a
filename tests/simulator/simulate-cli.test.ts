import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { writeNpy } from '../../compiler/input-data/npy.ts';
import { writeTflite } from '../../compiler/tflite/write-tflite.ts';
import { BOARDS_DIR } from '../../targets/boards/load-board.ts';
import { tinyforge } from '../cli/run-cli.ts';
import { corpusDir } from '../conformance-corpus.ts';
import { tinyModel } from '../tflite/tiny-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'tf-simulate-'));
const tiny = join(dir, 'tiny.tflite');
writeFileSync(tiny, writeTflite(tinyModel()));

/** The bluepill file with `sram` bytes of SRAM, as a user's own board file. */
function boardFile(sram: number): string {
  const json = JSON.parse(readFileSync(join(BOARDS_DIR, 'bluepill.json'), 'utf8'));
  json.id = 'hand-made';
  json.memory[0].bytes = sram;
  const path = join(dir, `board-${sram}.json`);
  writeFileSync(path, JSON.stringify(json));
  return path;
}

describe('tinyforge simulate', () => {
  it('prints the per-layer table, budgets and the run in the WASM runtime', () => {
    const r = tinyforge(['simulate', tiny, '--board', 'nucleo-l4r5zi']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^step\s+op\s+MACs\s+cycles\s+µs\s+µJ\s+arena live B$/m);
    expect(r.stdout).toMatch(/^\s+0\s+CONV_2D 1x1\s+96\s/m);
    expect(r.stdout).toMatch(/^SRAM  1,040 B of 655,360 B .*arena 80 \+ runtime state 336 \+ I\/O buffers 48 \+ stack 576/m);
    expect(r.stdout).toMatch(/ran in the WASM runtime: .* ms host per inference .*x faster than the chip/);
  });

  it('prints the issue’s JSON shape with --json', () => {
    const r = tinyforge(['simulate', tiny, '--board', 'nucleo-l4r5zi', '--json', '--estimate-only']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).slice(0, 7)).toEqual(['board', 'fits', 'sram', 'flash', 'latencyMs', 'energyUj', 'layers']);
    expect(j).toMatchObject({ board: 'nucleo-l4r5zi', fits: true, sram: { used: 1_040, budget: 655_360 }, flash: { budget: 2_097_152 } });
    expect(j.flash.used).toBe(j.memory.flash.weights + j.memory.flash.prepareParams + j.memory.flash.runtimeCode);
    expect(j.layers.map((l: { op: string }) => l.op)).toEqual(['CONV_2D', 'AVERAGE_POOL_2D', 'RESHAPE']);
    expect(j.latencyMs).toBeCloseTo((j.layers.reduce((n: number, l: { cycles: number }) => n + l.cycles, 0) / 120e6) * 1000, 9);
    expect(j.execution).toBeUndefined();
  });

  it('refuses a model that does not fit with exit code 3, the numbers and a board that fits', () => {
    expect(tinyforge(['simulate', tiny, '--board-file', boardFile(1_040), '--estimate-only']).code).toBe(0);
    const r = tinyforge(['simulate', tiny, '--board-file', boardFile(1_039)]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe('tinyforge simulate: does not fit hand-made: SRAM needs 1,040 B of 1,039 B (peak at op 0 CONV_2D); try --board bluepill or a smaller model');
    const j = tinyforge(['simulate', tiny, '--board-file', boardFile(1_039), '--json']);
    expect(j.code).toBe(3);
    expect(JSON.parse(j.stdout)).toMatchObject({ fits: false, sram: { used: 1_040, budget: 1_039 }, suggestedBoard: 'bluepill' });
  });

  it('simulates a compiled blob and a compiled folder with the same budgets as the .tflite', () => {
    const folder = join(dir, 'compiled');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'model.tfb'), writeBlob(compileTflite(writeTflite(tinyModel()), 'tiny')));
    const fromTflite = JSON.parse(tinyforge(['simulate', tiny, '--board', 'rpi-pico', '--json']).stdout);
    for (const target of [join(folder, 'model.tfb'), folder]) {
      const r = tinyforge(['simulate', target, '--board', 'rpi-pico', '--json']);
      expect(r.code, target).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.sram).toEqual(fromTflite.sram);
      expect(j.flash).toEqual(fromTflite.flash);
      expect(j.execution.outputs).toEqual(fromTflite.execution.outputs);
    }
  });

  it('estimates the duty cycle and battery life from --rate or --stride-ms', () => {
    const rate = tinyforge(['simulate', tiny, '--board', 'nrf52840-dk', '--rate', '10', '--battery', '220@3.0', '--estimate-only']);
    expect(rate.code).toBe(0);
    const line = rate.stdout.split('\n').find((l) => l.startsWith('at 10.00 inferences/s'));
    expect(line).toMatch(/real-time OK: .* average current .* mA .* a 220 mAh @ 3 V battery lasts [\d,.]+ days$/);
    const stride = tinyforge(['simulate', tiny, '--board', 'nrf52840-dk', '--stride-ms', '100', '--battery', '220@3.0', '--estimate-only']);
    expect(stride.stdout).toContain(line!);
  });

  it('takes --input as a .npy, as run does: float32 quantized with the input\'s scale and zero point', () => {
    const model = join(corpusDir(), 'models', 'hello_world_int8.tflite');
    const npy = join(dir, 'x.npy');
    writeFileSync(npy, writeNpy({ dtype: 'float32', shape: [1, 1], data: new Uint8Array(Float32Array.from([1.5]).buffer) }));
    const sim = tinyforge(['simulate', model, '--board', 'bluepill', '--input', npy, '--json']);
    expect(sim.code, sim.stderr).toBe(0);
    expect(tinyforge(['run', model, '--input', npy, '--output', join(dir, 'y.bin')]).code).toBe(0);
    expect(JSON.parse(sim.stdout).execution.outputs).toEqual([[...new Int8Array(readFileSync(join(dir, 'y.bin')))]]);
  });

  it('names the problem for bad options, boards and board files', () => {
    const cases: [string[], number, RegExp][] = [
      [['simulate', tiny], 64, /--board <id> \(or --board-file <file\.json>\) is required; boards that simulate: bluepill, /],
      [['simulate', tiny, '--board', 'bluepill', '--rate', '1', '--stride-ms', '5'], 64, /give --rate or --stride-ms, not both/],
      [['simulate', tiny, '--board', 'bluepill', '--battery', '1000'], 64, /a battery estimate needs --rate/],
      [['simulate', tiny, '--board', 'bluepill', '--rate', '1', '--battery', 'big'], 64, /--battery 'big' is not <mAh>\[@<volts>\]/],
      [['simulate', tiny, '--board', 'uno'], 64, /unknown board 'uno'; boards that simulate: bluepill, esp32-c3-devkitm/],
      [['simulate', tiny, '--board-file', boardFile(-1)], 2, /invalid board file .*board--1\.json: memory\.0\.bytes: /],
      [['simulate', join(dir, 'missing.tflite'), '--board', 'bluepill'], 2, /no such file or folder/],
    ];
    for (const [args, code, message] of cases) {
      const r = tinyforge(args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('tinyforge boards', () => {
  it('lists the catalog as a table and as JSON', () => {
    const t = tinyforge(['boards']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^nucleo-l4r5zi\s+cortex-m4\s+120 MHz\s+640 KB\s+640 KB\s+2,048 KB/m);
    const j = tinyforge(['boards', '--json']);
    const boards = JSON.parse(j.stdout) as { id: string; sramBudget: number; sources: Record<string, string> }[];
    expect(boards.find((b) => b.id === 'bluepill')).toMatchObject({ sramBudget: 20_480 });
    expect(boards.every((b) => Object.keys(b.sources).length > 0)).toBe(true);
  });
});

describe('tinyforge simulate on kws_ref_model', () => {
  const kws = join(corpusDir(), 'models', 'kws_ref_model.tflite');

  it('fits bluepill with tinyforge’s firmware, with the budget shown', () => {
    const r = tinyforge(['simulate', kws, '--board', 'bluepill', '--json', '--estimate-only']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // Arena 16,000 B (TFLM needs 22,772 B for the same model) + I/O buffers 512 B + the firmware's measured
    // Cortex-M stack with the 3x3 depthwise kernel, 976 B (targets/firmware/stack-estimate.ts).
    expect(j.sram).toEqual({ used: 18_528, budget: 20_480 });
    expect(j.flash.budget).toBe(65_536);
    expect(j.flash.used).toBeLessThan(45_000);
    // 1,952 B left: room for the stack `tinyforge build` reserves by default (976 + 512 → 1,488 B).
    const text = tinyforge(['simulate', kws, '--board', 'bluepill', '--estimate-only']).stdout;
    expect(text).not.toContain("note: tinyforge build's default stack");
    // 64 KB of flash leaves 16 KiB slots: a plain build fits, model updates of this model do not.
    expect(text).toContain('note: the model does not fit a model slot (31,440 B of 16,384 B): no slot firmware or model updates on this board');
    expect(j.flash.slots).toMatchObject({ slotBytes: 16_384, fitsSlot: false });
    // On a board with 1,232 B left for the stack, the user is told which --stack fits.
    const tight = tinyforge(['simulate', kws, '--board-file', boardFile(18_784), '--estimate-only']).stdout;
    expect(tight).toContain("note: tinyforge build's default stack (1,488 B) does not fit here: pass --stack 976 to 1,232");
  });

  it('refuses bluepill with CMSIS-NN-class library code (flash), and a 16 KB board (SRAM), with exit code 3', () => {
    const flash = tinyforge(['simulate', kws, '--board', 'bluepill', '--kernels', 'optimized']);
    expect(flash.code).toBe(3);
    expect(flash.stderr.trim()).toMatch(/^tinyforge simulate: does not fit bluepill: flash needs [\d,]+ B of 65,536 B \(weights 24,368 B \+ parameters [\d,]+ B \+ code 44,952 B\); try --board nrf52840-dk or a smaller model$/);
    const sram = tinyforge(['simulate', kws, '--board-file', boardFile(16 * 1024)]);
    expect(sram.code).toBe(3);
    expect(sram.stderr.trim()).toBe('tinyforge simulate: does not fit hand-made: SRAM needs 18,528 B of 16,384 B (peak at op 1 DEPTHWISE_CONV_2D); try --board bluepill or a smaller model');
  });

  it('runs it on nucleo-l4r5zi, within 10% of MLPerf Tiny v1.0’s latency and energy with CMSIS-NN-class kernels', () => {
    const r = tinyforge(['simulate', kws, '--board', 'nucleo-l4r5zi', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const cmsis = JSON.parse(tinyforge(['simulate', kws, '--board', 'nucleo-l4r5zi', '--kernels', 'optimized', '--json', '--estimate-only']).stdout);
    // MLPerf Tiny v1.0, microTVM + CMSIS-NN on NUCLEO-L4R5ZI: 99.8 ms and 5,230 µJ per inference (cycles fitted to
    // nothing; the run current to that energy run's power): 98.9 ms and 5,174 µJ.
    expect(Math.abs(cmsis.latencyMs / 99.8 - 1)).toBeLessThan(0.10);
    expect(Math.abs(cmsis.energyUj / 5230 - 1)).toBeLessThan(0.10);
    expect(cmsis.cycleModel).toBe('instruction-classes');
    // tinyforge's kernels: 4.13 M instructions predicted (measured 4.08 M under QEMU) against microTVM + CMSIS-NN's 8.1 M;
    // in cycles 0.66: the packed 1x1 path's instructions are more loads and multiplies per instruction.
    expect(j.latencyMs / cmsis.latencyMs).toBeGreaterThan(0.65);
    expect(j.latencyMs / cmsis.latencyMs).toBeLessThan(0.75);
    expect(j.sram.used).toBe(j.memory.sram.arena + 1_040 + 512 + 976);
    expect(j.execution.outputs[0]).toHaveLength(12);
    expect(j.execution.speedup).toBeGreaterThan(1);
  });
});
