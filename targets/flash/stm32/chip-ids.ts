// STM32 product ids (as returned by the bootloader's Get ID command, AN2606) with the flash geometry the
// flasher needs to erase exactly the pages an image covers. Sizes are the largest part of each line.
export interface Stm32Chip {
  pid: number;
  name: string;
  flashBase: number;
  /** Erase unit sizes in address order (pages on F0/F1/G/L4, sectors on F2/F4/F7/H7). */
  sectors: readonly number[];
  /** Which erase command the ROM bootloader of this line implements. */
  eraseCommand: 'erase' | 'extended-erase';
  /** Bootloader protocol version the ROM reports (Get / Get Version). */
  bootloaderVersion: number;
}

const KB = 1024;
const uniform = (size: number, count: number): number[] => new Array<number>(count).fill(size);

function chip(pid: number, name: string, sectors: number[], eraseCommand: Stm32Chip['eraseCommand'], bootloaderVersion: number): Stm32Chip {
  return { pid, name, flashBase: 0x0800_0000, sectors, eraseCommand, bootloaderVersion };
}

export const STM32_CHIPS: readonly Stm32Chip[] = [
  chip(0x440, 'STM32F030x8/F05x', uniform(1 * KB, 64), 'erase', 0x21),
  chip(0x444, 'STM32F03x', uniform(1 * KB, 32), 'erase', 0x10),
  chip(0x448, 'STM32F07x', uniform(2 * KB, 64), 'erase', 0x21),
  chip(0x410, 'STM32F10x medium-density', uniform(1 * KB, 128), 'erase', 0x22),
  chip(0x414, 'STM32F10x high-density', uniform(2 * KB, 256), 'erase', 0x22),
  chip(0x413, 'STM32F40x/F41x', [...uniform(16 * KB, 4), 64 * KB, ...uniform(128 * KB, 7)], 'extended-erase', 0x31),
  chip(0x419, 'STM32F42x/F43x', [...uniform(16 * KB, 4), 64 * KB, ...uniform(128 * KB, 7), ...uniform(16 * KB, 4), 64 * KB, ...uniform(128 * KB, 7)], 'extended-erase', 0x31),
  chip(0x449, 'STM32F74x/F75x', [...uniform(32 * KB, 4), 128 * KB, ...uniform(256 * KB, 3)], 'extended-erase', 0x31),
  chip(0x451, 'STM32F76x/F77x', [...uniform(32 * KB, 4), 128 * KB, ...uniform(256 * KB, 7)], 'extended-erase', 0x31),
  chip(0x435, 'STM32L43x/L44x', uniform(2 * KB, 128), 'extended-erase', 0x31),
  chip(0x415, 'STM32L47x/L48x', uniform(2 * KB, 512), 'extended-erase', 0x31),
  // L4R/L4S default to dual-bank mode (DBANK=1): 4 KB pages, numbered across both banks.
  chip(0x470, 'STM32L4Rx/L4Sx', uniform(4 * KB, 512), 'extended-erase', 0x31),
  chip(0x468, 'STM32G43x/G44x', uniform(2 * KB, 64), 'extended-erase', 0x31),
  chip(0x460, 'STM32G07x/G08x', uniform(2 * KB, 64), 'extended-erase', 0x31),
  chip(0x450, 'STM32H74x/H75x', uniform(128 * KB, 16), 'extended-erase', 0x31),
  chip(0x480, 'STM32H7A3/H7B3', uniform(8 * KB, 256), 'extended-erase', 0x31),
];

export function stm32ChipById(pid: number): Stm32Chip | undefined {
  return STM32_CHIPS.find((c) => c.pid === pid);
}

/** Indices of the erase units that overlap [address, address + length). */
export function sectorsCovering(chip: Stm32Chip, address: number, length: number): number[] {
  const out: number[] = [];
  let start = chip.flashBase;
  chip.sectors.forEach((size, i) => {
    if (start < address + length && start + size > address) out.push(i);
    start += size;
  });
  return out;
}

export function flashSize(chip: Stm32Chip): number {
  return chip.sectors.reduce((a, b) => a + b, 0);
}
