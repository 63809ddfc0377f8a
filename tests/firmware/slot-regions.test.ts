// The per-board slot layout (targets/firmware/update/slot-regions.ts): slots lie in the board's flash, after the code,
// on erase pages, apart; and a slot firmware links for every board that has one, its slots where the table says.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rawPublicKey } from '../../api/ed25519-keys.ts';
import { loadBoard } from '../../targets/boards/load-board.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { flashRegion, linkerRegions, slotMemoryScript } from '../../targets/firmware/linker-memory.ts';
import { buildSlotFirmware } from '../../targets/firmware/slot-firmware.ts';
import { SLOT_REGIONS, slotRegions } from '../../targets/firmware/update/slot-regions.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-slot-regions-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('model-slot layout per board', () => {
  for (const [board, r] of Object.entries(SLOT_REGIONS)) {
    it(`${board}: code, then slot A, then slot B, page-aligned inside the board's flash`, () => {
      const chip = loadBoard(board).memory.find((m) => m.kind === 'flash')!;
      // The ESP32-C3's image runs from SRAM (its memory.ld has no FLASH): the code region is where the image is
      // stored, flash offset 0, read at the cache-mapped address the slots are read at too.
      if (r.flashMappedAt === undefined) expect(r.code.origin).toBe(flashRegion(board).origin);
      else expect([r.code.origin, r.flashMappedAt]).toEqual([chip.base, chip.base]);
      expect(r.slots[1]).toBeGreaterThanOrEqual(r.slots[0] + r.slotBytes);
      // QEMU virt keeps its slots in pflash bank 1, apart from the code (targets/boards/model-slot-layout.ts).
      // The linker script's FLASH is the code region now; the slots lie in the rest of the board's flash.
      const slotFlash = board === 'qemu-riscv32' ? { origin: 0x22000000, length: 32 * 1024 * 1024 } : { origin: chip.base, length: chip.bytes };
      if (board !== 'qemu-riscv32') expect(r.slots[0]).toBeGreaterThanOrEqual(r.code.origin + r.code.length);
      expect(r.slots[1] + r.slotBytes).toBeLessThanOrEqual(slotFlash.origin + slotFlash.length);
      for (const a of r.slots) expect((a - slotFlash.origin) % r.pageBytes).toBe(0);
      expect(r.slotBytes % r.pageBytes).toBe(0);
      const regions = Object.fromEntries(linkerRegions(board).map((x) => [x.name, x]));
      expect(r.arenaBytes).toBeLessThan((regions.RAM ?? regions.DRAM)!.length);
    });
  }

  it('the slot linker script declares the code region and both slots as regions', () => {
    const script = slotMemoryScript('qemu-riscv32', slotRegions('qemu-riscv32'));
    expect(script).toContain('FLASH (rx) : ORIGIN = 0x80000000, LENGTH = 4194304');
    expect(script).toContain('MODEL_SLOT_A (r) : ORIGIN = 0x22000000, LENGTH = 1048576');
    expect(script).toContain('MODEL_SLOT_B (r) : ORIGIN = 0x22100000, LENGTH = 1048576');
    expect(script).toContain('RAM (rwx) : ORIGIN = 0x80400000');
  });

  it('names the boards that have slots when asked for one that has none', () => {
    expect(() => slotRegions('esp32-devkitc')).toThrow(/no model-slot layout for board esp32-devkitc; slot firmware boards are: qemu-mps2-an386.*esp32-c3-devkitm/);
  });

  for (const board of ['nucleo-l4r5zi', 'stm32f746g-disco', 'nrf52840-dk']) {
    it(`${board}: the slot firmware links, its code below slot A and its slot symbols at the table's addresses`, async () => {
      const fw = await buildSlotFirmware({ target: firmwareTarget(board), outDir: join(work, board), publicKey: rawPublicKey(generateKeyPairSync('ed25519').publicKey) });
      const r = slotRegions(board);
      const symbols = new Map(execFileSync(fw.image.toolchain.nm, [fw.image.elf], { encoding: 'utf8' }).split('\n').map((l) => l.trim().split(/\s+/)).map(([a, , n]) => [n, parseInt(a!, 16)]));
      expect([symbols.get('__tf_slot_a'), symbols.get('__tf_slot_b'), symbols.get('__tf_slot_bytes')]).toEqual([r.slots[0], r.slots[1], r.slotBytes]);
      expect(fw.image.sizes.weights).toBe(0);
      expect(fw.image.sizes.flashBase + fw.image.sizes.text + fw.image.sizes.rodata + fw.image.sizes.data).toBeLessThanOrEqual(r.slots[0]);
    }, 180_000);
  }
});
