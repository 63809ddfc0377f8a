// Where a slot firmware keeps its code and its two model slots, per board, as the slot linker script
// (linker-memory.ts: slotMemoryScript), the slot image writer and the QEMU runner read it. The addresses come
// from the one table of slot addresses, targets/boards/model-slot-layout.ts (the boards' memory.ld declare the
// same); this file adds what the slot firmware reserves (arena, I/O buffers).
import { loadBoard } from '../../boards/load-board.ts';
import { slotLayout } from '../../boards/model-slot-layout.ts';
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
  /** The slot firmware's other static RAM (.data + .bss besides the arena, I/O buffers and drift STATS, the linker's
   * alignment padding included), measured from its ELF at -O2 and re-measured exactly by
   * tests/simulator/slot-firmware-sram.test.ts; `staticsHold` says what it is. */
  staticBytes: number;
  staticsHold: string;
  /** Where the core reads flash offset 0, on a board whose flash tools take offsets instead (ESP32-C3: the cache
   * maps flash onto the data bus at 0x3C000000, esptool and the ROM write offsets; firmware.bin goes to offset 0).
   * Absent where the addresses above are what a programmer writes to (STM32, nRF52, the QEMU boards). */
  flashMappedAt?: number;
  /** The slots are in memory the core can write in place (the QEMU boards' code memory is RAM); on real boards
   * the firmware reads them in place and a flash driver writes them. */
  writableInPlace: boolean;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** The stack a slot firmware reserves unless `build --stack` says otherwise (linker-memory.ts: slotMemoryScript). */
export const SLOT_FIRMWARE_STACK_BYTES = 16 * KiB;

// What every slot firmware's other statics hold (nm -S): the open model and its name (tf_slot_model 80 B,
// tf_slot_model_name 48 B), the update transfer's state (xfer 148 B), the two slots' state (slots 20 B), the flash
// driver records (2 × 20 B), the protocol's flags (running, answering, on_trial, has_driver).
const COMMON_STATICS = 'open model and its name, update transfer state, slot state, flash driver records, protocol flags';

/** What a slot firmware reserves per board besides the flash layout (addresses: targets/boards/model-slot-layout.ts). */
const SLOT_FIRMWARE_BUFFERS: Readonly<Record<string, { arenaBytes: number; ioBytes: number; staticBytes: number; staticsHold: string; flashMappedAt?: number }>> = {
  // The semihosting slot-flash driver keeps the host file's path (256 B) and the command line (512 B).
  'qemu-mps2-an386': { arenaBytes: 1 * MiB, ioBytes: 64 * KiB, staticBytes: 1144, staticsHold: `${COMMON_STATICS}; semihosting path and command-line buffers` },
  'qemu-riscv32': { arenaBytes: 1 * MiB, ioBytes: 64 * KiB, staticBytes: 364, staticsHold: COMMON_STATICS },
  // The L4R5's driver counts ECC errors (4 B).
  'nucleo-l4r5zi': { arenaBytes: 384 * KiB, ioBytes: 32 * KiB, staticBytes: 368, staticsHold: `${COMMON_STATICS}, ECC error count` },
  'stm32f746g-disco': { arenaBytes: 192 * KiB, ioBytes: 32 * KiB, staticBytes: 364, staticsHold: COMMON_STATICS },
  'nrf52840-dk': { arenaBytes: 128 * KiB, ioBytes: 16 * KiB, staticBytes: 364, staticsHold: COMMON_STATICS },
  // Code, data, buffers, arena and stack share the 369.75 KiB of SRAM1 the ROM leaves (boards/esp32-c3-devkitm/memory.ld).
  // The ROM flash driver keeps its slot-mapping state and unlock flag (2 × 4 B).
  'esp32-c3-devkitm': { arenaBytes: 256 * KiB, ioBytes: 16 * KiB, staticBytes: 372, staticsHold: `${COMMON_STATICS}, ROM flash mapping/unlock state`, flashMappedAt: 0x3c000000 },
};

/** The slot firmware boards, each with its layout from the one table of slot addresses. */
export const SLOT_REGIONS: Readonly<Record<string, SlotRegions>> = Object.fromEntries(
  Object.entries(SLOT_FIRMWARE_BUFFERS).map(([id, buffers]) => {
    const l = slotLayout(loadBoard(id))!;
    const regions: SlotRegions = {
      code: { origin: l.code.base, length: l.code.bytes }, slots: [l.slotA.base, l.slotB.base], slotBytes: l.slotBytes, pageBytes: l.eraseBytes,
      ...buffers,
      // Every slot board writes its slots through its flash driver (update/drivers/); none in place.
      writableInPlace: false,
    };
    return [id, regions];
  }),
);

/** Where flash tools write the firmware and the slots on a board that reads flash through a mapping (ESP32-C3:
 * esptool offsets; `build --slots` prints them, the playground's files are placed at them); undefined elsewhere. */
export function slotFlashOffsets(regions: SlotRegions): { firmware: number; a: number; b: number } | undefined {
  const at = regions.flashMappedAt;
  if (at === undefined) return undefined;
  return { firmware: regions.code.origin - at, a: regions.slots[0] - at, b: regions.slots[1] - at };
}

export class SlotBoardError extends Error {
  override name = 'SlotBoardError';
}

export function slotRegions(boardId: string): SlotRegions {
  const r = SLOT_REGIONS[boardId];
  if (!r) {
    throw new SlotBoardError(`no model-slot layout for board ${boardId}; slot firmware boards are: ${Object.keys(SLOT_REGIONS).join(', ')}`);
  }
  return r;
}
