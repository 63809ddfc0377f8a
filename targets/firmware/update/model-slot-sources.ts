// The model-slot C (A/B slots, install, boot selection) and its host power-cut harness: where the files are.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const UPDATE_C_DIR = dirname(fileURLToPath(import.meta.url));
export const MODEL_SLOT_SOURCES: readonly string[] = [join(UPDATE_C_DIR, 'model-slots.c')];
/** The UPDATE_* / STATUS / REBOOT commands of the slot firmware. */
export const UPDATE_SERVICE_SOURCE = join(UPDATE_C_DIR, 'update-service.c');
export const POWER_CUT_HARNESS_SOURCES: readonly string[] = ['sim-nor-flash.c', 'power-cut-harness.c'].map((f) => join(UPDATE_C_DIR, 'host', f));
/** formats/update/tfu-format.h, which model-slots.h includes. */
export const TFU_FORMAT_DIR = join(UPDATE_C_DIR, '..', '..', '..', 'formats', 'update');

/** slot-flash.c and the board's flash driver (drivers/): which one each firmware board links. */
const FLASH_DRIVERS: Readonly<Record<string, string>> = {
  'qemu-mps2-an386': 'flash-mps2-semihost.c',
  'qemu-riscv32': 'flash-virt-cfi01.c',
  'stm32f746g-disco': 'flash-stm32f7.c',
  'nrf52840-dk': 'flash-nrf52-nvmc.c',
  'nucleo-l4r5zi': 'flash-stm32l4r5.c',
  'esp32-c3-devkitm': 'flash-esp32c3-rom.c',
};

/** The board's flash driver file name in drivers/ (flash-none.c where there is none yet). */
export function flashDriverFile(boardId: string): string {
  return FLASH_DRIVERS[boardId] ?? 'flash-none.c';
}

export function slotFlashSources(boardId: string): string[] {
  return [join(UPDATE_C_DIR, 'slot-flash.c'), join(UPDATE_C_DIR, 'drivers', flashDriverFile(boardId))];
}
