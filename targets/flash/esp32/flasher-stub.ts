// esptool's flasher stub: a small program the host loads into the chip's RAM with MEM_BEGIN / MEM_DATA /
// MEM_END, which then answers "OHAI" and serves the loader protocol itself (larger blocks, stays in the
// loader on END with flag 1, MD5 as 16 raw bytes, erase and read commands). The images are Espressif's,
// taken at run time from the esptool-js package's per-chip JSON (text/data segments, load addresses,
// entry point); nothing of them is kept in this repository.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EspChipName } from './chip-detect.ts';
import { STUB_FILE, stubFromJson, type FlasherStub, type StubJson } from './stub-json.ts';

export type { FlasherStub } from './stub-json.ts';

const cache = new Map<EspChipName, FlasherStub>();

export function flasherStub(chip: EspChipName): FlasherStub {
  const hit = cache.get(chip);
  if (hit) return hit;
  const require = createRequire(import.meta.url);
  let json: StubJson;
  try {
    json = JSON.parse(readFileSync(require.resolve(`esptool-js/lib/targets/stub_flasher/${STUB_FILE[chip]}.json`), 'utf8')) as StubJson;
  } catch (err) {
    throw new Error(`the esptool flasher stub for the ${chip} was not found in the esptool-js package (${(err as Error).message}): reinstall tinyforge, or flash with --no-stub`);
  }
  const stub = stubFromJson(chip, json);
  cache.set(chip, stub);
  return stub;
}
