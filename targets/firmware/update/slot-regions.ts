// Where a slot firmware keeps its code and its two model slots, per board: the one table the slot linker script
// (linker-memory.ts: slotMemoryScript), the slot image writer and the QEMU loader read. Slots start on an erase
// page and span whole pages; the code region is the flash before slot A.
export interface SlotRegions {
  /** Flash for code and constants (the firmware image), from the board's flash origin. */
  code: { origin: number; length: number };
  /** Start of slot A and slot B. */
  slots: [number, number];
  slotBytes: number;
  /** The erase granularity at the slots (the largest sector there where sectors differ). */
  pageBytes: number;
  /** Arena the firmware reserves for whatever model a slot holds (build --arena overrides). */
  arenaBytes: number;
  /** Input/output buffer bytes each, for the serial protocol (the largest model I/O a slot may hold). */
  ioBytes: number;
  /** The slots are in memory the core can write in place (the QEMU boards' code memory is RAM); on real boards
   * the firmware reads them in place and a flash driver writes them. */
  writableInPlace: boolean;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const SLOT_REGIONS: Readonly<Record<string, SlotRegions>> = {
  'qemu-mps2-an386': {
    code: { origin: 0x00000000, length: 1 * MiB }, slots: [0x00100000, 0x00200000], slotBytes: 1 * MiB, pageBytes: 4 * KiB,
    arenaBytes: 1 * MiB, ioBytes: 64 * KiB, writableInPlace: true,
  },
  'qemu-riscv32': {
    code: { origin: 0x80000000, length: 1 * MiB }, slots: [0x80100000, 0x80200000], slotBytes: 1 * MiB, pageBytes: 4 * KiB,
    arenaBytes: 1 * MiB, ioBytes: 64 * KiB, writableInPlace: true,
  },
  // STM32L4R5: 2 MB in 8 KB pages (single-bank mode).
  'nucleo-l4r5zi': {
    code: { origin: 0x08000000, length: 512 * KiB }, slots: [0x08080000, 0x08140000], slotBytes: 768 * KiB, pageBytes: 8 * KiB,
    arenaBytes: 384 * KiB, ioBytes: 32 * KiB, writableInPlace: false,
  },
  // STM32F746: sectors 4 × 32 KB, 128 KB, 3 × 256 KB: code in sectors 0-4, slot A sector 5, slot B sector 6.
  'stm32f746g-disco': {
    code: { origin: 0x08000000, length: 256 * KiB }, slots: [0x08040000, 0x08080000], slotBytes: 256 * KiB, pageBytes: 256 * KiB,
    arenaBytes: 192 * KiB, ioBytes: 32 * KiB, writableInPlace: false,
  },
  // nRF52840: 1 MB in 4 KB pages.
  'nrf52840-dk': {
    code: { origin: 0x00000000, length: 256 * KiB }, slots: [0x00040000, 0x000a0000], slotBytes: 384 * KiB, pageBytes: 4 * KiB,
    arenaBytes: 128 * KiB, ioBytes: 16 * KiB, writableInPlace: false,
  },
};

export class SlotBoardError extends Error {
  override name = 'SlotBoardError';
}

export function slotRegions(boardId: string): SlotRegions {
  const r = SLOT_REGIONS[boardId];
  if (!r) {
    const why = boardId === 'esp32-c3-devkitm'
      ? ': its bare-metal image runs from SRAM, which the ROM fills from flash; a slot in flash is not mapped without the cache MMU set-up that ESP-IDF does'
      : '';
    throw new SlotBoardError(`no model-slot layout for board ${boardId}${why}; slot firmware boards are: ${Object.keys(SLOT_REGIONS).join(', ')}`);
  }
  return r;
}
