// ESP chips told apart as esptool does: first the chip id that GET_SECURITY_INFO returns on parts whose ROM
// has it (ESP32-S3, -C3 and later), else the value of the magic register at 0x40001000
// (CHIP_DETECT_MAGIC_REG_ADDR), which every ROM loader lets the host read before anything else works.
//
// Source of the values: esptool's per-chip classes (CHIP_DETECT_MAGIC_VALUE, IMAGE_CHIP_ID,
// BOOTLOADER_FLASH_OFFSET), as shipped in esptool-js 0.7.0 (lib/esploader.js `magic2Chip`,
// lib/targets/*.js); tests/flash/chip-detect.test.ts checks this table against that package.
export const CHIP_DETECT_MAGIC_REG = 0x4000_1000;

/** The chips tinyforge flashes. */
export const ESP_CHIP_NAMES = ['ESP32', 'ESP32-S2', 'ESP32-S3', 'ESP32-C3'] as const;
export type EspChipName = (typeof ESP_CHIP_NAMES)[number];

/** What GET_SECURITY_INFO does on a chip: not there (answered as unsupported), no chip id field, or the id. */
export type SecurityInfo = 'unsupported' | 'no-chip-id' | { chipId: number };

export interface KnownEspChip {
  name: string;
  magics: readonly number[];
  securityInfo: SecurityInfo;
  /** esptool's USES_MAGIC_VALUE: the chip is identified by its magic value even if it has a chip id. */
  usesMagic: boolean;
  /** ROM FLASH_BEGIN / FLASH_DEFL_BEGIN take a fifth word (encryption flag) on newer parts. */
  beginHasEncryptWord: boolean;
  /** Where the second-stage bootloader goes in flash (ESP-IDF's bootloader.bin). */
  bootloaderOffset: number;
}

export interface EspChip extends KnownEspChip {
  name: EspChipName;
}

const ID = (chipId: number): SecurityInfo => ({ chipId });

export const ESP_CHIPS: readonly EspChip[] = [
  { name: 'ESP32', magics: [0x00f01d83], securityInfo: 'unsupported', usesMagic: true, beginHasEncryptWord: false, bootloaderOffset: 0x1000 },
  { name: 'ESP32-S2', magics: [0x000007c6], securityInfo: 'no-chip-id', usesMagic: true, beginHasEncryptWord: true, bootloaderOffset: 0x1000 },
  { name: 'ESP32-S3', magics: [0x00000009], securityInfo: ID(9), usesMagic: false, beginHasEncryptWord: true, bootloaderOffset: 0x0 },
  { name: 'ESP32-C3', magics: [0x6921506f, 0x1b31506f, 0x4881606f, 0x4361606f], securityInfo: ID(5), usesMagic: false, beginHasEncryptWord: true, bootloaderOffset: 0x0 },
];

/** Chips esptool knows and tinyforge does not flash (yet): recognised so they can be refused by name. */
export const REFUSED_ESP_CHIPS: readonly KnownEspChip[] = [
  { name: 'ESP8266', magics: [0xfff0c101], securityInfo: 'unsupported', usesMagic: true, beginHasEncryptWord: false, bootloaderOffset: 0x0 },
  { name: 'ESP32-C2', magics: [0x0c21e06f, 0x6f51306f, 0x7c41a06f], securityInfo: ID(12), usesMagic: false, beginHasEncryptWord: true, bootloaderOffset: 0x0 },
  { name: 'ESP32-C6', magics: [0x2ce0806f], securityInfo: ID(13), usesMagic: false, beginHasEncryptWord: true, bootloaderOffset: 0x0 },
  { name: 'ESP32-H2', magics: [0xd7b73e80, 0x97e30068], securityInfo: ID(16), usesMagic: false, beginHasEncryptWord: true, bootloaderOffset: 0x0 },
  // esptool also lists magic 0x0 for early ESP32-P4 silicon; left out here: a register reading 0 proves nothing.
  { name: 'ESP32-P4', magics: [0x0addbad0, 0x7039ad9], securityInfo: ID(18), usesMagic: false, beginHasEncryptWord: true, bootloaderOffset: 0x2000 },
  { name: 'ESP32-C61', magics: [0x2421606f, 0x33f0206f, 0x4f81606f], securityInfo: ID(20), usesMagic: false, beginHasEncryptWord: true, bootloaderOffset: 0x0 },
  { name: 'ESP32-C5', magics: [0x1101406f, 0x63e1406f, 0x5fd1406f, 0x30e1706f], securityInfo: ID(23), usesMagic: false, beginHasEncryptWord: true, bootloaderOffset: 0x2000 },
];

const ALL: readonly KnownEspChip[] = [...ESP_CHIPS, ...REFUSED_ESP_CHIPS];

export function isSupported(chip: KnownEspChip): chip is EspChip {
  return (ESP_CHIP_NAMES as readonly string[]).includes(chip.name);
}

export function espChipByMagic(magic: number): KnownEspChip | undefined {
  return ALL.find((c) => c.magics.includes(magic >>> 0));
}

/** Only chips esptool identifies by chip id (not USES_MAGIC_VALUE) are matched here. */
export function espChipBySecurityId(chipId: number): KnownEspChip | undefined {
  return ALL.find((c) => !c.usesMagic && typeof c.securityInfo === 'object' && c.securityInfo.chipId === chipId);
}

/** Any chip of either table, by 'ESP32-S3' or 'esp32s3'. */
export function knownEspChipByName(name: string): KnownEspChip | undefined {
  const n = name.toLowerCase();
  return ALL.find((c) => c.name.toLowerCase() === n || c.name.toLowerCase().replace('-', '') === n);
}

export function espChipByName(name: string): EspChip | undefined {
  const c = knownEspChipByName(name);
  return c && isSupported(c) ? c : undefined;
}

export function refusal(chip: KnownEspChip): string {
  return `the device is an ${chip.name}, which tinyforge cannot flash: it flashes ${ESP_CHIP_NAMES.join(', ')}`;
}
