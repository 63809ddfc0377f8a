// esptool-js's per-chip flasher stub JSON (text/data segments in base64, load addresses, entry point) → the
// segments to upload. Node reads the file (flasher-stub.ts), the page's bundle inlines it (flasher-stub.browser.ts).
import type { EspChipName } from './chip-detect.ts';

export interface FlasherStub {
  chip: EspChipName;
  entry: number;
  /** Segments in upload order: text, then data. */
  segments: { address: number; bytes: Uint8Array }[];
}

export interface StubJson {
  entry: number;
  text: string;
  text_start: number;
  data?: string;
  data_start?: number;
}

/** The file name (without .json) of each chip's stub in esptool-js/lib/targets/stub_flasher/. */
export const STUB_FILE: Record<EspChipName, string> = { ESP32: 'esp32', 'ESP32-S2': 'esp32s2', 'ESP32-S3': 'esp32s3', 'ESP32-C3': 'esp32c3' };

const base64Bytes = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export function stubFromJson(chip: EspChipName, json: StubJson): FlasherStub {
  const segments = [{ address: json.text_start, bytes: base64Bytes(json.text) }];
  if (json.data && json.data_start !== undefined) segments.push({ address: json.data_start, bytes: base64Bytes(json.data) });
  return { chip, entry: json.entry, segments };
}
