/// <reference types="vite/client" />
// esptool's flasher stub in a browser: the bundler inlines esptool-js's stub JSON for the chips tinyforge detects
// (import.meta.glob), decoded as on Node (stub-json.ts).
import type { EspChipName } from './chip-detect.ts';
import { STUB_FILE, stubFromJson, type FlasherStub, type StubJson } from './stub-json.ts';

export type { FlasherStub } from './stub-json.ts';

const files = import.meta.glob<StubJson>('../../../node_modules/esptool-js/lib/targets/stub_flasher/{esp32,esp32s2,esp32s3,esp32c3}.json', { eager: true, import: 'default' });

export function flasherStub(chip: EspChipName): FlasherStub {
  const json = Object.entries(files).find(([path]) => path.endsWith(`/${STUB_FILE[chip]}.json`))?.[1];
  if (!json) throw new Error(`the esptool flasher stub for the ${chip} is not in this build: flash without the stub`);
  return stubFromJson(chip, json);
}
