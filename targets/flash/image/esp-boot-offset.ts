// Where a lone ESP32-C3 .bin goes when no --address is given. An ESP image whose every segment loads into the C3's
// internal RAM (IRAM 0x4037C000..0x403E0000, DRAM 0x3FC80000..0x3FCE0000: esptool's ESP32C3ROM MEMORY_MAP) is one the
// ROM boots itself, as tinyforge's bare-metal firmware.bin or ESP-IDF's bootloader.bin: it belongs at the
// bootloader offset, 0x0. An app image maps flash (segments at 0x3C000000/0x42000000) and goes to the board's
// app offset. The header is read here byte by byte (magic 0xE9, count at 1, segments from byte 24).
const C3_RAM: readonly [number, number][] = [[0x4037c000, 0x403e0000], [0x3fc80000, 0x3fce0000]];
const C3_BOOTLOADER_OFFSET = 0x0;

export function espDefaultAddress(bytes: Uint8Array, chip: string, appAddress: number): number {
  if (chip !== 'ESP32-C3' || bytes.length < 24 || bytes[0] !== 0xe9) return appAddress;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes[1]!;
  let at = 24;
  for (let i = 0; i < count; i++) {
    if (at + 8 > bytes.length) return appAddress;
    const address = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    if (!C3_RAM.some(([lo, hi]) => address >= lo && address + length <= hi)) return appAddress;
    at += 8 + length;
  }
  return count > 0 ? C3_BOOTLOADER_OFFSET : appAddress;
}
