// The persistent flash the QEMU boards keep their model slots in, as a host file, and the QEMU arguments that
// attach it (see the drivers in targets/firmware/update/drivers/):
//  - qemu-riscv32: CFI pflash bank 1 backed by the file (raw, exactly the bank's 32 MiB, erased = 0xFF);
//  - qemu-mps2-an386: no flash device exists, the firmware reads and writes the file through semihosting.
// Both survive a guest reset (the update reboots into its new slot that way) and a QEMU restart.
import { closeSync, existsSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadBoard } from '../boards/load-board.ts';
import { slotLayout } from '../boards/model-slot-layout.ts';

/** QEMU virt's pflash bank size (hw/riscv/virt.c, VIRT_FLASH size / 2). */
export const VIRT_PFLASH_BANK_BYTES = 32 * 1024 * 1024;

export class SlotFlashFileError extends Error {
  override name = 'SlotFlashFileError';
}

/** Creates the file erased (0xFF) where the board's flash needs it to exist before QEMU starts. */
export function prepareSlotFlashFile(boardId: string, file: string): void {
  if (boardId !== 'qemu-riscv32') return; // mps2: the firmware creates it through semihosting
  if (existsSync(file)) {
    const size = statSync(file).size;
    if (size !== VIRT_PFLASH_BANK_BYTES) {
      throw new SlotFlashFileError(`${file}: ${size.toLocaleString('en-US')} B, but QEMU virt's pflash bank is ${VIRT_PFLASH_BANK_BYTES.toLocaleString('en-US')} B; delete it to start from an erased flash`);
    }
    return;
  }
  const fd = openSync(file, 'wx');
  try {
    const erased = Buffer.alloc(1024 * 1024, 0xff);
    for (let at = 0; at < VIRT_PFLASH_BANK_BYTES; at += erased.length) writeSync(fd, erased, 0, erased.length, at);
  } finally {
    closeSync(fd);
  }
}

/** QEMU arguments that load `elf` and attach the slot flash file to the board. */
export function slotFlashArgs(boardId: string, file: string, elf: string): string[] {
  const path = resolve(file);
  if (boardId === 'qemu-riscv32') {
    if (`${path}${elf}`.includes(',')) throw new SlotFlashFileError(`${path}: QEMU's -drive and -device options cannot take a file name with a comma`);
    // With a pflash drive attached, QEMU 7.2's virt leaves RAM empty for -kernel (measured: the CPU jumps to
    // 0x8000_0000 and finds zeros); the generic loader puts the ELF there, and again at every reset.
    return ['-drive', `if=pflash,unit=1,format=raw,file=${path}`, '-device', `loader,file=${resolve(elf)}`];
  }
  if (boardId === 'qemu-mps2-an386') {
    if (/\s/.test(path)) throw new SlotFlashFileError(`${path}: the semihosting command line cannot carry a file name with spaces`);
    return ['-kernel', elf, '-append', `slot-flash=${path}`];
  }
  throw new SlotFlashFileError(`board ${boardId} has no QEMU slot flash`);
}

/** Where the file starts in the board's address map and how long it is. */
export function slotFlashFileSpan(boardId: string): { base: number; bytes: number } {
  const layout = slotLayout(loadBoard(boardId));
  if (!layout || !['qemu-riscv32', 'qemu-mps2-an386'].includes(boardId)) throw new SlotFlashFileError(`board ${boardId} has no QEMU slot flash`);
  // virt: the file is pflash bank 1, which starts at slot A; mps2: the file is the window of both slots.
  return { base: layout.slotA.base, bytes: boardId === 'qemu-riscv32' ? VIRT_PFLASH_BANK_BYTES : 2 * layout.slotBytes };
}

/** A fresh slot flash file: erased, with `images` at their flash addresses (slot A's image, as a factory would). */
export function writeSlotFlashFile(boardId: string, file: string, images: readonly { address: number; bytes: Uint8Array }[]): void {
  const span = slotFlashFileSpan(boardId);
  const flash = Buffer.alloc(span.bytes, 0xff);
  for (const image of images) {
    const at = image.address - span.base;
    if (at < 0 || at + image.bytes.length > span.bytes) {
      throw new SlotFlashFileError(`${image.bytes.length.toLocaleString('en-US')} B at 0x${image.address.toString(16)} lie outside ${boardId}'s slot flash`);
    }
    flash.set(image.bytes, at);
  }
  writeFileSync(file, flash);
}
