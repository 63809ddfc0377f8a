// The factory MAC address of an ESP chip, read as esptool does: two eFuse words through READ_REG. The first
// word holds the last four bytes of the MAC, the low half of the second word its first two.
//
// Register addresses from esptool's per-chip classes as shipped in esptool-js 0.7.0 (lib/targets/*.js:
// ESP32 EFUSE_RD_REG_BASE + 4, the others MAC_EFUSE_REG); tests/flash/esp32-read-back.test.ts has esptool-js
// read the simulated chip's MAC with its own readMac and compares.
import type { EspChipName } from './chip-detect.ts';

export const MAC_EFUSE_REG: Record<EspChipName, number> = {
  ESP32: 0x3ff5_a004,
  'ESP32-S2': 0x3f41_a044,
  'ESP32-S3': 0x6000_7044,
  'ESP32-C3': 0x6000_8844,
};

/** aa:bb:cc:dd:ee:ff from the two eFuse words. */
export function macFromEfuse(word0: number, word1: number): string {
  const bytes = [(word1 >>> 8) & 0xff, word1 & 0xff, (word0 >>> 24) & 0xff, (word0 >>> 16) & 0xff, (word0 >>> 8) & 0xff, word0 & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The two eFuse words that hold a MAC given as aa:bb:cc:dd:ee:ff (the simulator's side). */
export function efuseFromMac(mac: string): [number, number] {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  if (b.length !== 6 || b.some((x) => !(x >= 0 && x <= 255))) throw new Error(`not a MAC address: ${mac}`);
  return [((b[2]! << 24) | (b[3]! << 16) | (b[4]! << 8) | b[5]!) >>> 0, (b[0]! << 8) | b[1]!];
}
