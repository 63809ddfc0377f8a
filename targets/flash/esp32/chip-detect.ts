// ESP chips told apart by the value of the magic register at 0x40001000 (UART date register on most parts),
// which every ROM loader lets the host read before anything else works.
export const CHIP_DETECT_MAGIC_REG = 0x4000_1000;

export type EspChipName = 'ESP8266' | 'ESP32' | 'ESP32-S2' | 'ESP32-S3' | 'ESP32-C3';

export interface EspChip {
  name: EspChipName;
  magics: readonly number[];
  /** ROM FLASH_BEGIN / FLASH_DEFL_BEGIN take a fifth word (encryption flag) on newer parts. */
  beginHasEncryptWord: boolean;
  /** Chip id reported by GET_SECURITY_INFO, on parts whose ROM has it. */
  securityInfoChipId?: number;
}

export const ESP_CHIPS: readonly EspChip[] = [
  { name: 'ESP8266', magics: [0xfff0c101], beginHasEncryptWord: false },
  { name: 'ESP32', magics: [0x00f01d83], beginHasEncryptWord: false },
  { name: 'ESP32-S2', magics: [0x000007c6], beginHasEncryptWord: true },
  { name: 'ESP32-S3', magics: [0x00000009], beginHasEncryptWord: true, securityInfoChipId: 9 },
  { name: 'ESP32-C3', magics: [0x6921506f, 0x1b31506f, 0x4881606f, 0x4361606f], beginHasEncryptWord: true, securityInfoChipId: 5 },
];

export function espChipByMagic(magic: number): EspChip | undefined {
  return ESP_CHIPS.find((c) => c.magics.includes(magic >>> 0));
}

export function espChipByName(name: string): EspChip | undefined {
  return ESP_CHIPS.find((c) => c.name.toLowerCase() === name.toLowerCase() || c.name.toLowerCase().replace('-', '') === name.toLowerCase());
}
