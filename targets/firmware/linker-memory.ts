// A board's memory regions as its linker script declares them (targets/firmware/boards/<id>/memory.ld), so tools that
// need the address map (the instruction-class counter's flash range) read the one the firmware is linked with.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIRMWARE_DIR } from './build-firmware.ts';

export interface LinkerRegion {
  name: string;
  origin: number;
  length: number;
}

const UNIT: Record<string, number> = { '': 1, K: 1024, M: 1024 * 1024 };

export function linkerRegions(boardId: string): LinkerRegion[] {
  const script = readFileSync(join(FIRMWARE_DIR, 'boards', boardId, 'memory.ld'), 'utf8');
  return [...script.matchAll(/^\s*(\w+)\s*\([a-z]+\)\s*:\s*ORIGIN\s*=\s*(0x[0-9a-fA-F]+|\d+)\s*,\s*LENGTH\s*=\s*(\d+)([KM]?)/gm)].map((m) => ({
    name: m[1]!,
    origin: Number(m[2]),
    length: Number(m[3]) * UNIT[m[4]!]!,
  }));
}

/** The region named FLASH: where code, weights and constants live. */
export function flashRegion(boardId: string): LinkerRegion {
  const flash = linkerRegions(boardId).find((r) => r.name === 'FLASH');
  if (!flash) throw new Error(`targets/firmware/boards/${boardId}/memory.ld declares no FLASH region`);
  return flash;
}
