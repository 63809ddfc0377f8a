// The model-slot flash drivers: the QEMU boards' persistent flash on real QEMU (a write survives a guest reset
// and a QEMU restart, a cell is programmed once), and every real board's driver compiled with its cross compiler.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boardObjectSources, compileObjects, FIRMWARE_DIR, linkObjects } from '../../targets/firmware/build-firmware.ts';
import { firmwareTarget, FIRMWARE_TARGETS } from '../../targets/firmware/firmware-targets.ts';
import { flashDriverFile, slotFlashSources, TFU_FORMAT_DIR, UPDATE_C_DIR } from '../../targets/firmware/update/model-slot-sources.ts';
import { runQemu } from '../../targets/qemu/run-qemu.ts';
import { buildSlotFirmware } from '../../targets/firmware/slot-firmware.ts';

const INCLUDES = [join(FIRMWARE_DIR, 'common'), join(FIRMWARE_DIR, 'cortex-m'), UPDATE_C_DIR, TFU_FORMAT_DIR];
const PERSIST_C = join(import.meta.dirname, 'c', 'flash-persist.c');

/** The board's startup and board.c (not main.c) with the slot flash and the check program. */
async function buildCheck(boardId: string, dir: string): Promise<string> {
  const target = firmwareTarget(boardId);
  const startup = boardObjectSources(target).filter((s) => !s.path.startsWith(join(FIRMWARE_DIR, 'common')));
  const sources = [...startup, ...[...slotFlashSources(boardId), PERSIST_C].map((path) => ({ path, board: false }))];
  const objects = await compileObjects(sources, target, join(dir, 'obj'), INCLUDES, { optimize: '-O2' });
  const elf = join(dir, 'check.elf');
  await linkObjects(objects.map((o) => o.object), target, elf);
  return elf;
}

describe('slot flash on the QEMU boards', () => {
  for (const boardId of ['qemu-mps2-an386', 'qemu-riscv32']) {
    it(`${boardId}: survives a reset and a restart`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `tf-slot-flash-${boardId}-`));
      const elf = await buildCheck(boardId, dir);
      const file = join(dir, 'slots.bin');
      const target = firmwareTarget(boardId);
      const first = await runQemu({ target, elf, serialInput: new Uint8Array(0), slotFlash: file, timeoutMs: 30_000 });
      expect(first.exitCode, first.stderr).toBe(2); // wrote, reset, found the bytes
      const bytes = readFileSync(file);
      // Slot B is 1 MiB into the file on both boards (mps2: the window starts at slot A; virt: the bank does).
      expect(bytes.readUInt32LE(0x100000)).toBe(0x534c4f54);
      expect(bytes.readUInt32LE(0x100004)).toBe(1);
      expect(bytes.readUInt32LE(0x100008)).toBe(2);
      expect(bytes.readUInt32LE(0)).toBe(0xffffffff); // slot A untouched, erased
      const second = await runQemu({ target, elf, serialInput: new Uint8Array(0), slotFlash: file, timeoutMs: 30_000 });
      expect(second.exitCode, second.stderr).toBe(3); // a new QEMU found them, then erased the page
      expect(readFileSync(file).readUInt32LE(0x100000)).toBe(0xffffffff);
    }, 120_000);
  }
});

describe('slot flash drivers of the real boards', () => {
  it('compile with each board\'s cross compiler; not yet run on silicon', async () => {
    for (const target of FIRMWARE_TARGETS.filter((t) => !t.qemu)) {
      const dir = mkdtempSync(join(tmpdir(), `tf-flash-driver-${target.id}-`));
      const objects = await compileObjects(slotFlashSources(target.id).map((path) => ({ path, board: false })), target, dir, INCLUDES);
      expect(objects).toHaveLength(2);
    }
    expect(flashDriverFile('stm32f746g-disco')).toBe('flash-stm32f7.c');
    expect(flashDriverFile('nrf52840-dk')).toBe('flash-nrf52-nvmc.c');
    expect(flashDriverFile('nucleo-l4r5zi')).toBe('flash-stm32l4r5.c');
  }, 120_000);
});

describe('the STM32L4R5 slot firmware', () => {
  it('links the L4R5 flash driver: its own NMI handler (ECC double errors) in the vector table, the FLASH registers used', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-flash-l4r5-'));
    const fw = await buildSlotFirmware({ target: firmwareTarget('nucleo-l4r5zi'), outDir: dir });
    const symbols = new Map(execFileSync(fw.image.toolchain.nm, [fw.image.elf], { encoding: 'utf8' }).split('\n').map((l) => l.trim().split(/\s+/)).map(([a, t, n]) => [n, { address: parseInt(a!, 16), type: t }]));
    // Not the weak alias of the fault handler (as on every other Cortex-M board), and the driver's ECC counter is there.
    expect(symbols.get('nmi_handler')?.type).toBe('T');
    expect(symbols.get('nmi_handler')?.address).not.toBe(symbols.get('tf_fault_handler')?.address);
    expect(symbols.has('ecc_errors')).toBe(true);
    // The vector table's NMI entry (word 2) is that handler (Thumb bit set).
    const bin = readFileSync(join(dir, 'firmware.bin'));
    expect(bin.readUInt32LE(8)).toBe(symbols.get('nmi_handler')!.address | 1);
    // The flash key sequence and the FLASH register block are in the image (literal pool).
    for (const word of [0x45670123, 0xcdef89ab, 0x40022000]) {
      expect([...Array(bin.length >> 2).keys()].some((i) => bin.readUInt32LE(4 * i) === word), word.toString(16)).toBe(true);
    }
  }, 180_000);
});
