// Code and the two model slots in every board's flash: one table (targets/boards/model-slot-layout.ts), the same
// regions in each firmware board's linker script, and the simulator's flash budget counting code + both slots.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTflite } from '../../compiler/tflite/write-tflite.ts';
import { BOARDS_DIR, loadAllBoards, loadBoard } from '../../targets/boards/load-board.ts';
import { halfForSlots, SLOT_FLASH_FACTS, slotLayout, SlotLayoutError } from '../../targets/boards/model-slot-layout.ts';
import { FIRMWARE_TARGETS } from '../../targets/firmware/firmware-targets.ts';
import { linkerRegions } from '../../targets/firmware/linker-memory.ts';
import { tinyforge } from '../cli/run-cli.ts';
import { tinyModel } from '../tflite/tiny-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'tf-slots-'));
const tiny = join(dir, 'tiny.tflite');
writeFileSync(tiny, writeTflite(tinyModel()));

describe('model slot layout', () => {
  it('gives every shipped board code, slot A and slot B, equal slots on erase boundaries', () => {
    for (const board of loadAllBoards()) {
      const l = slotLayout(board)!;
      expect(l, board.id).toBeDefined();
      expect(l.slotA.bytes).toBe(l.slotB.bytes);
      expect(l.slotB.base).toBe(l.slotA.base + l.slotBytes);
      expect(l.slotBytes % l.eraseBytes, board.id).toBe(0);
      expect(l.slotA.base % l.eraseBytes, board.id).toBe(0);
      if (!SLOT_FLASH_FACTS[board.id]!.slotFlash) expect(l.code.base + l.code.bytes).toBe(l.slotA.base);
    }
    // STM32F746: non-uniform sectors; the slots are sectors 6 and 7 (256 KiB each), code keeps sectors 0-5.
    expect(slotLayout(loadBoard('stm32f746g-disco'))).toMatchObject({
      code: { base: 0x08000000, bytes: 512 * 1024 }, slotA: { base: 0x08080000 }, slotB: { base: 0x080c0000 }, slotBytes: 256 * 1024, eraseBytes: 256 * 1024,
    });
    // QEMU virt: code in RAM, slots in CFI pflash bank 1 (256 KiB sectors).
    expect(slotLayout(loadBoard('qemu-riscv32'))).toMatchObject({ slotA: { base: 0x22000000 }, slotB: { base: 0x22100000 }, eraseBytes: 256 * 1024 });
  });

  it('declares the same regions in each firmware board linker script', () => {
    for (const target of FIRMWARE_TARGETS) {
      const l = slotLayout(loadBoard(target.id))!;
      const regions = new Map(linkerRegions(target.id).map((r) => [r.name, r]));
      expect(regions.get('SLOT_A'), target.id).toEqual({ name: 'SLOT_A', origin: l.slotA.base, length: l.slotBytes });
      expect(regions.get('SLOT_B'), target.id).toEqual({ name: 'SLOT_B', origin: l.slotB.base, length: l.slotBytes });
      // The ESP32-C3 image runs from SRAM (IRAM/DRAM): it has no FLASH region to shrink.
      if (regions.has('FLASH')) expect(regions.get('FLASH'), target.id).toEqual({ name: 'FLASH', origin: l.code.base, length: l.code.bytes });
    }
  });

  it('refuses a flash too small for two slots, with the numbers', () => {
    expect(() => halfForSlots('tiny-board', 0x08000000, 16 * 1024, [{ bytes: 16 * 1024, count: 1 }], 'test')).toThrow(SlotLayoutError);
    expect(() => halfForSlots('tiny-board', 0x08000000, 16 * 1024, [{ bytes: 16 * 1024, count: 1 }], 'test')).toThrow(
      'tiny-board: two model slots do not fit its 16,384 B flash: each slot needs at least one 16,384 B erase sector (32,768 B for both',
    );
  });
});

describe('simulate counts code + both slots', () => {
  it('shows the layout in text and --json (existing fields kept)', () => {
    const text = tinyforge(['simulate', tiny, '--board', 'nucleo-l4r5zi', '--estimate-only']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^flash [\d,]+ B of 2,097,152 B/m);
    expect(text.stdout).toMatch(/^\s+layout: code 1,048,576 B \+ model slots A at 0x8100000 and B at 0x8180000, 524,288 B each \(4,096 B erase sectors\); the model takes [\d,]+ B of a slot/m);
    const json = JSON.parse(tinyforge(['simulate', tiny, '--board', 'nucleo-l4r5zi', '--json', '--estimate-only']).stdout);
    expect(json.flash.budget).toBe(2 * 1024 * 1024);
    expect(json.flash.used).toBeGreaterThan(0);
    expect(json.flash.slots).toMatchObject({ codeRegionBytes: 1048576, slotBytes: 524288, slotA: 0x08100000, slotB: 0x08180000, eraseBytes: 4096, reserved: 2 * 1024 * 1024 });
    expect(json.flash.slots.modelSlotBytes).toBe(144 + json.memory.flash.weights + json.memory.flash.prepareParams);
  });

  it('refuses a board file whose flash cannot take two slots: exit 3 and the numbers', () => {
    const board = JSON.parse(readFileSync(join(BOARDS_DIR, 'bluepill.json'), 'utf8'));
    board.id = 'one-sector';
    const flash = board.memory.find((r: { kind: string }) => r.kind === 'flash');
    flash.bytes = 16384;
    flash.eraseBytes = 16384;
    const path = join(dir, 'one-sector.json');
    writeFileSync(path, JSON.stringify(board));
    const r = tinyforge(['simulate', tiny, '--board-file', path, '--estimate-only']);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/one-sector: two model slots do not fit its 16,384 B flash: each slot needs at least one 16,384 B erase sector/);
  });
});
