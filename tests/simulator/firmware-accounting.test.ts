// The simulator's budget and instruction counts against tinyforge's real firmware: built with the cross
// compiler, run in QEMU with the instruction-count plugin, its ELF sections read back.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileTflite } from '../../compiler/compile-model.ts';
import { writeBlob } from '../../compiler/emit/blob/write-blob.ts';
import { writeTflite } from '../../compiler/tflite/write-tflite.ts';
import { readBlob } from '../../runtime-as/host/read-blob.ts';
import { measureFirmware } from '../../simulator/calibrate/measure-firmware.ts';
import { simulate } from '../../simulator/simulate.ts';
import { loadBoard } from '../../targets/boards/load-board.ts';
import { readModel } from '../conformance-corpus.ts';
import { tinyModel } from '../tflite/tiny-model.ts';


async function check(name: string, bytes: Uint8Array) {
  const compiled = compileTflite(bytes, name);
  const blob = readBlob(writeBlob(compiled));
  const fw = await measureFirmware(compiled, blob, mkdtempSync(join(tmpdir(), `tf-fw-${name}-`)));
  const sim = simulate(blob, compiled, { board: loadBoard('qemu-mps2-an386'), execute: false });
  return { fw, sim, blob };
}

describe('simulator vs tinyforge firmware on qemu-mps2-an386 (Cortex-M4F)', () => {
  it('accounts the three-op model byte for byte and counts its instructions', async () => {
    const { fw, sim, blob } = await check('tiny', writeTflite(tinyModel()));
    const m = sim.memory;
    // Constants section = weights + prepare data (the blob's pool), less the pool's final 16-byte padding.
    expect(m.flash.weights + m.flash.prepareParams - m.flash.opTable).toBe(blob.constBytes);
    expect(fw.sections.weights).toBeLessThanOrEqual(blob.constBytes);
    expect(fw.sections.weights).toBeGreaterThan(blob.constBytes - 16);
    // .bss = the arena, the firmware's I/O buffers and its drift statistics; no other static RAM.
    expect(fw.sections.bss).toBe(m.sram.arena + m.sram.ioBuffers + m.sram.runtimeState);
    expect(fw.sections.data).toBe(0);
    expect(m.sram.stack).toBeGreaterThanOrEqual(fw.stackUsed);
    // Code (+ the ~258 B of strings in .rodata) within 2%.
    expect(Math.abs(m.flash.runtimeCode - (fw.sections.text + 258)) / fw.sections.text).toBeLessThan(0.02);
    expect(fw.stepInstructions).toHaveLength(3);
  });

  it('predicts kws_ref_model per call within 15% and in total within 2%', async () => {
    const { fw, sim } = await check('kws_ref_model', readModel('kws_ref_model'));
    const m = sim.memory;
    expect(fw.sections.weights).toBe(m.flash.weights + m.flash.prepareParams - m.flash.opTable);
    expect(fw.sections.bss).toBe(m.sram.arena + m.sram.ioBuffers + m.sram.runtimeState);
    expect(m.sram.stack).toBeGreaterThanOrEqual(fw.stackUsed);
    expect(Math.abs(m.flash.runtimeCode - (fw.sections.text + 258)) / fw.sections.text).toBeLessThan(0.02);
    sim.layers.forEach((l, i) => {
      // Calls that do real work; a reshape in place is a handful of instructions either way.
      if (fw.stepInstructions[i] > 1000) {
        expect(Math.abs(l.instructions - fw.stepInstructions[i]) / fw.stepInstructions[i], `step ${i} ${l.opType}`).toBeLessThan(0.15);
      }
    });
    expect(Math.abs(sim.totals.instructions - fw.totalInstructions) / fw.totalInstructions).toBeLessThan(0.02);
  });
});
