import { describe, expect, it } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { writeTflite } from '../../compiler/tflite/write-tflite.ts';
import { readBlob } from '../../runtime-as/host/read-blob.ts';
import { Runtime } from '../../runtime-as/host/runtime.ts';
import { accountMemory } from '../../simulator/memory-budget.ts';
import { simModel } from '../../simulator/sim-model.ts';
import { simulate } from '../../simulator/simulate.ts';
import { loadAllBoards, loadBoard, parseBoard } from '../../targets/boards/load-board.ts';
import { tinyModel } from '../tflite/tiny-model.ts';

// CONV_2D 1x1 [1,4,4,2] -> [1,4,4,3], AVERAGE_POOL_2D 2x2 -> [1,2,2,3], RESHAPE -> [1,12].
function tiny() {
  const compiled = compileTflite(writeTflite(tinyModel()), 'tiny');
  const blob = readBlob(writeBlob(compiled));
  return { compiled, blob, model: simModel(blob, compiled) };
}

/** A Cortex-M4 board with exactly `sram` bytes of SRAM and `flash` bytes of flash. */
function handBoard(sram: number, flash: number) {
  return parseBoard({
    id: 'hand-made', name: 'hand-made', mcu: 'test', core: 'cortex-m4', clockHz: 100_000_000,
    memory: [
      { name: 'SRAM', kind: 'sram', base: 0x20000000, bytes: sram },
      { name: 'flash', kind: 'flash', base: 0x08000000, bytes: flash, missCycles: 0, lineBytes: 8 },
    ],
    reservedSramBytes: 0, dataCacheBytes: 0,
    power: { supplyVoltage: 3, activeCurrentMa: 10, sleepCurrentUa: 5, sleepMode: 'stop' },
    sources: {
      core: 'test', clockHz: 'test', reservedSramBytes: 'test', dataCacheBytes: 'test', 'memory.SRAM': 'test', 'memory.flash': 'test',
      'power.supplyVoltage': 'test', 'power.activeCurrentMa': 'test', 'power.sleepCurrentUa': 'test',
    },
  }, 'test');
}

describe('memory accounting, byte for byte', () => {
  it('counts SRAM as arena + runtime state + I/O buffers + stack', () => {
    const { model } = tiny();
    const m = accountMemory(model, handBoard(65_536, 1 << 20), 'tinyforge');
    // Arena: conv output 48 B at 0 (steps 0-1); input 32 B at 48 (step 0); pool output 12 B -> 16 at 48
    // (steps 1-2, the reshape output shares it): 80 B.
    expect(m.sram.arena).toBe(80);
    // The firmware's drift statistics (input-stats.h): 164 B + 88 B for each of the input's 2 channels = 340 B, of
    // which 4 fill the padding before the arena.
    expect(m.sram.runtimeState).toBe(336);
    // The firmware's output buffer (12 B) and input buffer (32 B), padded to 16 before the arena.
    expect(m.sram.ioBuffers).toBe(48);
    // The firmware's measured Cortex-M4 stack (targets/firmware/stack-estimate.ts): base 576 B, as neither
    // conv2d_1x1_s8, avg_pool2d_s8 nor reshape_s8 needs more.
    expect(m.sram.stack).toBe(576);
    expect(m.sram.used).toBe(80 + 336 + 48 + 576);
    expect(m.peak).toEqual({ step: 0, opIndex: 0, opType: 'CONV_2D' });
  });

  it('counts flash as weights + prepare parameters + runtime code', () => {
    const { model, blob } = tiny();
    const m = accountMemory(model, handBoard(65_536, 1 << 20), 'tinyforge');
    // Constants, 16-aligned: filter 6 B -> 16, bias 12 -> 16; prepare data folded bias, multipliers, shifts 12 -> 16 each.
    expect(m.flash.weights).toBe(32);
    expect(blob.constBytes).toBe(80);
    // Op table: a parameter struct per call, 4 B per pointer and per int32 scalar (conv: 7 pointers, 7 scalars; pool 2 + 14; reshape 2 + 1).
    expect(m.flash.opTable).toBe(blob.steps.reduce((n, s) => n + 4 * s.pointers.length + 4 * s.scalars.length, 0));
    expect(m.flash.opTable).toBe(56 + 64 + 12);
    expect(m.flash.prepareParams).toBe(48 + 132);
    // Code: framework 3,346 (with the drift statistics) + invoke function 32 + 15 per call + conv2d_1x1_s8 98 + avg_pool2d_s8 880 + reshape_s8 18
    // + the helpers they use, tf_matmul_rows_s8 2,622 (with its private functions) and memmove 254 (Cortex-M4 scale 1).
    expect(m.flash.runtimeCode).toBe(3_346 + 32 + 45 + 98 + 880 + 18 + 2_622 + 254);
    expect(m.flash.used).toBe(32 + 180 + 7_295);
  });

  it('agrees with the WASM runtime on constants and arena', () => {
    const { model, blob } = tiny();
    const m = accountMemory(model, handBoard(65_536, 1 << 20), 'tinyforge');
    const rt = Runtime.create(blob);
    expect(rt.memory.arenaBytes).toBe(m.sram.arena);
    expect(rt.memory.constBytes).toBe(m.flash.weights + m.flash.prepareParams - m.flash.opTable);
  });

  it('fits a board with exactly the bytes needed and refuses one byte less, naming the peak op and a board that fits', () => {
    const { compiled, blob } = tiny();
    expect(simulate(blob, compiled, { board: handBoard(1_040, 7_507), execute: false }).fits).toBe(true);
    const sramShort = simulate(blob, compiled, { board: handBoard(1_039, 7_507), candidates: loadAllBoards(), execute: false });
    expect(sramShort.fits).toBe(false);
    expect(sramShort.refusal).toBe('does not fit hand-made: SRAM needs 1,040 B of 1,039 B (peak at op 0 CONV_2D); try --board bluepill or a smaller model');
    const flashShort = simulate(blob, compiled, { board: handBoard(1_040, 7_506), candidates: [], execute: false });
    expect(flashShort.refusal).toBe(
      'does not fit hand-made: flash needs 7,507 B of 7,506 B (weights 32 B + parameters 180 B + code 7,295 B); no board in the catalog fits it: try a smaller model',
    );
  });

  it('scales runtime code with the core and the kernel profile', () => {
    const { model } = tiny();
    expect(accountMemory(model, loadBoard('rpi-pico'), 'tinyforge').flash.runtimeCode).toBe(Math.round(7_295 * 1.15));
    expect(accountMemory(model, loadBoard('esp32-c3-devkitm'), 'tinyforge').flash.runtimeCode).toBe(Math.round(7_295 * 0.95));
    // Libraries sized by op type: CMSIS-NN class 8,600 + CONV_2D 14,336 + AVERAGE_POOL_2D 2,816 + RESHAPE 256; portable C.
    expect(accountMemory(model, loadBoard('bluepill'), 'optimized').flash.runtimeCode).toBe(26_008);
    expect(accountMemory(model, loadBoard('bluepill'), 'portable-c').flash.runtimeCode).toBe(8_600 + 1_536 + 768 + 128);
  });

  it('puts an arena too large for SRAM into PSRAM on a board that has it', () => {
    const { model } = tiny();
    const big = { ...model, arenaBytes: 1_000_000 };
    const s3 = accountMemory(big, loadBoard('esp32-s3-devkitc'), 'tinyforge');
    expect(s3.fits).toBe(true);
    expect(s3.arenaIn).toBe('psram');
    expect(s3.psram).toEqual({ used: 1_000_000, budget: 8 * 1024 * 1024 });
    // Xtensa has no measured tinyforge firmware: the larger of the two measured stacks (Cortex-M4's 576 B).
    expect(s3.sram.used).toBe(336 + 48 + 576);
    const esp32 = accountMemory(big, loadBoard('esp32-devkitc'), 'tinyforge');
    expect(esp32.fits).toBe(false);
    expect(esp32.problems[0]).toMatch(/^SRAM needs 1,000,960 B of 286,720 B/);
  });

  it('refuses an arena larger than the largest contiguous SRAM block even when the total would do', () => {
    const { model } = tiny();
    const h7 = accountMemory({ ...model, arenaBytes: 1_100_000 }, loadBoard('nucleo-h7a3zi'), 'tinyforge');
    expect(h7.fits).toBe(false);
    expect(h7.problems[0]).toBe('the 1,100,000 B arena exceeds the largest contiguous SRAM block of 1,048,576 B (peak at op 0 CONV_2D)');
  });
});
