// A firmware image's bytes → what to flash: raw .bin (placed at the board's flash address or --address), Intel
// .hex (via nrf-intel-hex) and .elf (loadable segments), told apart by the file name. Gaps between
// records/segments become 0xFF, the value of erased flash, so one contiguous write covers them. Reads no file:
// the CLI (load-image.ts) and the playground both parse here.
import intelHex from 'nrf-intel-hex';
import { FlashError, hex32 } from '../flash-error.ts';
import { elf32LoadSegments, type LoadSegment } from './elf32-segments.ts';

export interface FlashImage {
  /** Load address recorded in the file (.hex, .elf); undefined for raw .bin. */
  address: number | undefined;
  bytes: Uint8Array;
  format: 'bin' | 'hex' | 'elf';
}

/** Largest hole between two parts of one image that is still filled rather than refused. */
const MAX_GAP = 1024 * 1024;

// The package's types declare an ES default export, but Node loads its CommonJS build (module.exports = class).
const MemoryMap = ((intelHex as unknown as { default?: typeof intelHex.default }).default ?? intelHex) as typeof intelHex.default;

/** `path` is the file's name (or path): its extension picks the format, and messages name it. */
export function parseImage(bytes: Uint8Array, path: string): FlashImage {
  const ext = /\.[^./\\]*$/.exec(path)?.[0]?.toLowerCase() ?? '';
  if (ext === '.bin') {
    if (bytes.length === 0) throw new FlashError('IMAGE', `image ${path} is empty`);
    return { address: undefined, bytes, format: 'bin' };
  }
  if (ext === '.hex' || ext === '.ihex') {
    let map: Map<number, Uint8Array>;
    try {
      map = MemoryMap.fromHex(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
    } catch (err) {
      throw new FlashError('IMAGE', `${path} is not a valid Intel HEX file: ${(err as Error).message}`);
    }
    const segments = [...map.entries()].map(([address, data]) => ({ address, bytes: data }));
    return { ...flatten(segments, path), format: 'hex' };
  }
  if (ext === '.elf' || ext === '.axf' || ext === '.out') {
    let segments: LoadSegment[];
    try {
      segments = elf32LoadSegments(bytes);
    } catch (err) {
      throw new FlashError('IMAGE', `${path}: ${(err as Error).message}`);
    }
    return { ...flatten(segments, path), format: 'elf' };
  }
  throw new FlashError('IMAGE', `${path}: unknown image type '${ext || '(none)'}'; give a .bin, .hex or .elf file`);
}

function flatten(segments: LoadSegment[], path: string): { address: number; bytes: Uint8Array } {
  const parts = segments.filter((s) => s.bytes.length > 0).sort((a, b) => a.address - b.address);
  if (parts.length === 0) throw new FlashError('IMAGE', `${path} contains no data`);
  const start = parts[0]!.address;
  let end = start;
  for (const p of parts) {
    if (p.address < end) throw new FlashError('IMAGE', `${path}: data overlaps at ${hex32(p.address)}`);
    if (p.address - end > MAX_GAP)
      throw new FlashError('IMAGE', `${path}: parts at ${hex32(end)} and ${hex32(p.address)} are ${p.address - end} bytes apart: flash them as separate images`);
    end = p.address + p.bytes.length;
  }
  const out = new Uint8Array(end - start).fill(0xff);
  for (const p of parts) out.set(p.bytes, p.address - start);
  return { address: start, bytes: out };
}
