// The persistent flash the QEMU boards keep their model slots in, as a host file, and the QEMU arguments that
// attach it (see the drivers in targets/firmware/update/drivers/):
//  - qemu-riscv32: CFI pflash bank 1 backed by the file (raw, exactly the bank's 32 MiB, erased = 0xFF);
//  - qemu-mps2-an386: no flash device exists, the firmware reads and writes the file through semihosting.
// Both survive a guest reset (the update reboots into its new slot that way) and a QEMU restart.
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';

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
