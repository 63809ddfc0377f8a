// Where a board's flash holds code and the two model slots (A/B): the one table of slot addresses. The linker
// scripts (targets/firmware/boards/<id>/memory.ld) declare the same regions (tests/update/slot-layout.test.ts
// compares them), the slot firmware finds its slots through the linker symbols, and the simulator's flash budget
// counts code + both slots from here.
//
// Rule: the slots are the top half of the flash, two equal halves of it, each starting and ending on an erase
// boundary of that chip (a slot is erased sector by sector while the other keeps running).
import type { Board } from './board-schema.ts';

/** Erase geometry of a flash, from its base upwards: `count` sectors of `bytes` each, in order. */
export type EraseSectors = readonly { bytes: number; count: number }[];

interface SlotFlashFacts {
  /** The chip's erase sectors over the whole flash region of the board file. */
  sectors: EraseSectors;
  source: string;
  /** A flash apart from the code's (QEMU virt: code runs from RAM, the slots live in its CFI pflash bank 1);
   * `bytes` is the part of it the two slots take. */
  slotFlash?: { base: number; bytes: number; sectors: EraseSectors; slotBytes: number; source: string };
}

const uniform = (bytes: number, total: number): EraseSectors => [{ bytes, count: total / bytes }];
const K = 1024;
const M = 1024 * K;

/** Erase geometry per board id (datasheet figures; QEMU boards: what their flash model erases). */
export const SLOT_FLASH_FACTS: Readonly<Record<string, SlotFlashFacts>> = {
  'qemu-mps2-an386': {
    sectors: uniform(4 * K, 4 * M),
    source: 'no flash on MPS2: the slots are code memory backed by a host file through semihosting (4 KiB pages, update/flash-mps2-semihost.c)',
  },
  'qemu-riscv32': {
    sectors: uniform(4 * K, 4 * M),
    source: 'QEMU virt: the code "flash" is the first 4 MB of RAM; the slots live in pflash bank 1',
    slotFlash: {
      base: 0x22000000, bytes: 2 * M, sectors: uniform(256 * K, 2 * M), slotBytes: 1 * M,
      source: 'QEMU 7.2 hw/riscv/virt.c: flash bank 1 at 0x2200_0000 (32 MB, CFI01, 256 KiB sectors); its first 2 MB hold 1 MB slots, as on the 4 MB ESP32-C3 it stands in for',
    },
  },
  'esp32-c3-devkitm': { sectors: uniform(4 * K, 4 * M), source: 'ESP32-C3 SPI NOR flash: 4 KiB sectors (ESP32-C3 datasheet)' },
  'esp32-devkitc': { sectors: uniform(4 * K, 4 * M), source: 'ESP32 SPI NOR flash: 4 KiB sectors' },
  'esp32-s3-devkitc': { sectors: uniform(4 * K, 8 * M), source: 'ESP32-S3 SPI NOR flash: 4 KiB sectors' },
  'nucleo-l4r5zi': { sectors: uniform(4 * K, 2 * M), source: 'RM0432 §3.3.1: dual-bank mode (DBANK=1, the default), 4 KiB pages' },
  'nucleo-h7a3zi': { sectors: uniform(8 * K, 2 * M), source: 'RM0455 §4.3: 8 KiB sectors' },
  'stm32f746g-disco': {
    sectors: [{ bytes: 32 * K, count: 4 }, { bytes: 128 * K, count: 1 }, { bytes: 256 * K, count: 3 }],
    source: 'RM0385 §3.3.1 table 3: sectors 0-3 32 KiB, 4 128 KiB, 5-7 256 KiB',
  },
  'nrf52840-dk': { sectors: uniform(4 * K, 1 * M), source: 'nRF52840 PS §4.3 NVMC: 4 KiB pages' },
  bluepill: { sectors: uniform(1 * K, 64 * K), source: 'RM0008 §3.3.3: medium-density STM32F103, 1 KiB pages' },
  'rpi-pico': { sectors: uniform(4 * K, 2 * M), source: 'W25Q16JV QSPI flash: 4 KiB sectors' },
};

export interface FlashRange {
  base: number;
  bytes: number;
}

export interface SlotLayout {
  /** Where code, weights of a plain build and constants may go. */
  code: FlashRange;
  slotA: FlashRange;
  slotB: FlashRange;
  /** Each slot's size (A and B are equal). */
  slotBytes: number;
  /** The erase unit at the slots (the largest sector they cover). */
  eraseBytes: number;
  source: string;
}

export class SlotLayoutError extends Error {
  override name = 'SlotLayoutError';
}

/** Byte offsets of every sector boundary, base included. */
function boundaries(sectors: EraseSectors): number[] {
  const out = [0];
  for (const s of sectors) for (let i = 0; i < s.count; i++) out.push(out[out.length - 1]! + s.bytes);
  return out;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
const fmt = (n: number) => n.toLocaleString('en-US');

/** Two equal slots on the top `2 * slotBytes` of a flash, checked against its erase boundaries. */
function slotsAtTop(base: number, bytes: number, sectors: EraseSectors, slotBytes: number, what: string): { a: FlashRange; b: FlashRange; eraseBytes: number } {
  const edges = boundaries(sectors);
  if (edges[edges.length - 1] !== bytes) throw new SlotLayoutError(`${what}: erase sectors cover ${fmt(edges[edges.length - 1]!)} B, the flash has ${fmt(bytes)} B`);
  const aStart = bytes - 2 * slotBytes;
  for (const at of [aStart, bytes - slotBytes]) {
    if (!edges.includes(at)) throw new SlotLayoutError(`${what}: a slot would start at ${hex(base + at)}, not on an erase boundary`);
  }
  // The largest sector the slots cover: what one erase step takes.
  let eraseBytes = 0;
  let at = 0;
  for (const s of sectors) {
    if (at + s.bytes * s.count > aStart) eraseBytes = Math.max(eraseBytes, s.bytes);
    at += s.bytes * s.count;
  }
  return { a: { base: base + aStart, bytes: slotBytes }, b: { base: base + bytes - slotBytes, bytes: slotBytes }, eraseBytes };
}

/** The smallest slot a model needs: slot state words + the update header + the blob (model-slots.h). */
export const SLOT_OVERHEAD_BYTES = 16 + 128;

/**
 * The board's code/slot layout; undefined for a board file this table does not know (no erase geometry).
 * Throws SlotLayoutError, with the numbers, when two slots of at least one erase unit do not fit.
 */
export function slotLayout(board: Board): SlotLayout | undefined {
  const flash = board.memory.find((r) => r.kind === 'flash' && r.use !== 'code');
  // A board file may give its flash's erase unit itself; the table knows the boards tinyforge ships.
  const facts = SLOT_FLASH_FACTS[board.id] ??
    (flash?.eraseBytes ? { sectors: [{ bytes: flash.eraseBytes, count: Math.floor(flash.bytes / flash.eraseBytes) }], source: `the board file's eraseBytes` } : undefined);
  if (!facts || !flash) return undefined;
  if (flash.bytes % facts.sectors[0]!.bytes !== 0 && !SLOT_FLASH_FACTS[board.id]) {
    throw new SlotLayoutError(`${board.id}: flash ${fmt(flash.bytes)} B is not a whole number of ${fmt(facts.sectors[0]!.bytes)} B erase sectors`);
  }
  if (facts.slotFlash) {
    const f = facts.slotFlash;
    const { a, b, eraseBytes } = slotsAtTop(f.base, f.bytes, f.sectors, f.slotBytes, `${board.id} slot flash`);
    return { code: { base: flash.base, bytes: flash.bytes }, slotA: a, slotB: b, slotBytes: f.slotBytes, eraseBytes, source: `${facts.source}; ${f.source}` };
  }
  return halfForSlots(board.id, flash.base, flash.bytes, facts.sectors, facts.source);
}

/** Slots of a quarter of the flash each (rounded down to the top erase unit), code below them. */
export function halfForSlots(id: string, base: number, bytes: number, sectors: EraseSectors, source: string): SlotLayout {
  const top = sectors[sectors.length - 1]!.bytes;
  const slotBytes = Math.floor(bytes / 4 / top) * top;
  const need = 2 * SLOT_OVERHEAD_BYTES;
  if (slotBytes === 0 || 2 * slotBytes >= bytes) {
    throw new SlotLayoutError(
      `${id}: two model slots do not fit its ${fmt(bytes)} B flash: each slot needs at least one ${fmt(top)} B erase sector ` +
        `(${fmt(2 * top)} B for both, at least ${fmt(need)} B of slot headers) and the code keeps half the flash (${fmt(bytes / 2)} B); ` +
        `use a board with more flash or a plain build (no slots)`,
    );
  }
  const { a, b, eraseBytes } = slotsAtTop(base, bytes, sectors, slotBytes, id);
  return { code: { base, bytes: bytes - 2 * slotBytes }, slotA: a, slotB: b, slotBytes, eraseBytes, source };
}
