// esptool's flasher stub: a small program the host loads into the chip's RAM with MEM_BEGIN / MEM_DATA /
// MEM_END, which then answers "OHAI" and serves the loader protocol itself (larger blocks, stays in the
// loader on END with flag 1, MD5 as 16 raw bytes, erase and read commands). The images are Espressif's,
// taken at run time from the esptool-js package's per-chip JSON (text/data segments, load addresses,
// entry point); nothing of them is kept in this repository.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EspChipName } from './chip-detect.ts';

export interface FlasherStub {
  chip: EspChipName;
  entry: number;
  /** Segments in upload order: text, then data. */
  segments: { address: number; bytes: Uint8Array }[];
}

const FILE: Record<EspChipName, string> = { ESP32: 'esp32', 'ESP32-S2': 'esp32s2', 'ESP32-S3': 'esp32s3', 'ESP32-C3': 'esp32c3' };
const cache = new Map<EspChipName, FlasherStub>();

interface StubJson {
  entry: number;
  text: string;
  text_start: number;
  data?: string;
  data_start?: number;
}

export function flasherStub(chip: EspChipName): FlasherStub {
  const hit = cache.get(chip);
  if (hit) return hit;
  const require = createRequire(import.meta.url);
  let json: StubJson;
  try {
    json = JSON.parse(readFileSync(require.resolve(`esptool-js/lib/targets/stub_flasher/${FILE[chip]}.json`), 'utf8')) as StubJson;
  } catch (err) {
    throw new Error(`the esptool flasher stub for the ${chip} was not found in the esptool-js package (${(err as Error).message}): reinstall tinyforge, or flash with --no-stub`);
  }
  const segments = [{ address: json.text_start, bytes: new Uint8Array(Buffer.from(json.text, 'base64')) }];
  if (json.data && json.data_start !== undefined) segments.push({ address: json.data_start, bytes: new Uint8Array(Buffer.from(json.data, 'base64')) });
  const stub = { chip, entry: json.entry, segments };
  cache.set(chip, stub);
  return stub;
}
