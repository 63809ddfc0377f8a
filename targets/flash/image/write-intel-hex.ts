// Parts of a flash image at their addresses → one Intel HEX file (via nrf-intel-hex), as any flasher reads it: the
// playground's firmware download puts a slot firmware's code and its model's slot A in one file this way.
import intelHex from 'nrf-intel-hex';
import { FlashError, hex32 } from '../flash-error.ts';

// The package's types declare an ES default export, but Node loads its CommonJS build (module.exports = class).
const MemoryMap = ((intelHex as unknown as { default?: typeof intelHex.default }).default ?? intelHex) as typeof intelHex.default;

export interface ImagePart {
  address: number;
  bytes: Uint8Array;
  /** Named in the message when two parts overlap. */
  name: string;
}

export function writeIntelHex(parts: readonly ImagePart[]): string {
  const sorted = [...parts].sort((a, b) => a.address - b.address);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    if (prev.address + prev.bytes.length > sorted[i]!.address) {
      throw new FlashError('IMAGE', `${prev.name} (${hex32(prev.address)}, ${prev.bytes.length} B) overlaps ${sorted[i]!.name} at ${hex32(sorted[i]!.address)}`);
    }
  }
  const map = new MemoryMap();
  for (const p of sorted) map.set(p.address, p.bytes);
  return map.asHexString();
}
