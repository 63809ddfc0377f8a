// Writes an image through a GDB stub, the way `gdb load` + `compare-sections` do: parts that fall in a flash
// region of the stub's memory map go through vFlashErase/vFlashWrite/vFlashDone (erase rounded out to the
// region's blocks); everything else, and every part on a stub without a memory map (QEMU), through plain
// memory writes. Then each part is read back with `m` and compared.
import { FlashError, hex32 } from '../flash-error.ts';
import type { LoadSegment } from '../image/elf32-segments.ts';
import { SILENT_PROGRESS, type ProgressSink } from '../progress.ts';
import type { GdbRemote } from './gdb-remote-client.ts';
import { flashRegionAt, type MemoryRegion } from './memory-map.ts';

export type LoadPath = 'vFlash' | 'memory-write (X)' | 'memory-write (M)';

export interface GdbLoadResult {
  parts: { address: number; bytes: number; path: LoadPath }[];
  bytes: number;
  verified: boolean;
  /** The memory map the stub gave ([] = none). */
  memoryMap: MemoryRegion[];
}

export interface GdbLoadOptions {
  verify?: boolean;
  progress?: ProgressSink;
}

export async function loadOverGdb(gdb: GdbRemote, segments: readonly LoadSegment[], options: GdbLoadOptions = {}): Promise<GdbLoadResult> {
  const progress = options.progress ?? SILENT_PROGRESS;
  const map = await gdb.memoryMap();
  const parts = segments.filter((s) => s.bytes.length > 0).map((s) => ({ ...s, region: flashRegionAt(map, s.address) }));
  for (const p of parts) {
    if (p.region && p.address + p.bytes.length > p.region.start + p.region.length && !flashRegionAt(map, p.region.start + p.region.length))
      throw new FlashError('IMAGE', `the image part at ${hex32(p.address)} (${p.bytes.length} bytes) runs past the end of flash at ${hex32(p.region.start + p.region.length)}`);
  }
  const total = parts.reduce((n, p) => n + p.bytes.length, 0);
  const result: GdbLoadResult = { parts: [], bytes: total, verified: false, memoryMap: map };

  const toFlash = parts.filter((p) => p.region);
  if (toFlash.length > 0) {
    for (const range of eraseRanges(map, toFlash)) await gdb.flashErase(range.start, range.end - range.start);
    progress.start('write', toFlash.reduce((n, p) => n + p.bytes.length, 0));
    let base = 0;
    for (const p of toFlash) {
      await gdb.flashWrite(p.address, p.bytes, (d) => progress.update(base + d));
      base += p.bytes.length;
      result.parts.push({ address: p.address, bytes: p.bytes.length, path: 'vFlash' });
    }
    // OpenOCD only buffers vFlashWrite data; the chip is programmed during vFlashDone, the long part.
    const flashBytes = toFlash.reduce((n, p) => n + p.bytes.length, 0);
    progress.start('program', flashBytes);
    await gdb.flashDone();
    progress.update(flashBytes);
    progress.stop();
  }
  const toMemory = parts.filter((p) => !p.region);
  if (toMemory.length > 0) {
    progress.start('load', toMemory.reduce((n, p) => n + p.bytes.length, 0));
    let base = 0;
    for (const p of toMemory) {
      const kind = await gdb.writeMemory(p.address, p.bytes, (d) => progress.update(base + d));
      base += p.bytes.length;
      result.parts.push({ address: p.address, bytes: p.bytes.length, path: kind === 'X' ? 'memory-write (X)' : 'memory-write (M)' });
    }
    progress.stop();
  }
  if (options.verify ?? true) {
    progress.start('verify', total);
    let base = 0;
    for (const p of parts) {
      const back = await gdb.readMemory(p.address, p.bytes.length, (d) => progress.update(base + d));
      const at = back.findIndex((b, i) => b !== p.bytes[i]);
      if (at >= 0)
        throw new FlashError(
          'VERIFY_MISMATCH',
          `verification failed: the first differing byte is at ${hex32(p.address + at)} (wrote 0x${p.bytes[at]!.toString(16).padStart(2, '0')}, read 0x${back[at]!.toString(16).padStart(2, '0')})`,
          p.address + at,
        );
      base += p.bytes.length;
    }
    progress.stop();
    result.verified = true;
  }
  return result;
}

/** Block-aligned, merged erase ranges covering every flash part. */
export function eraseRanges(map: readonly MemoryRegion[], parts: readonly LoadSegment[]): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  for (const p of parts) {
    let at = p.address;
    const end = p.address + p.bytes.length;
    while (at < end) {
      const region = flashRegionAt(map, at);
      if (!region) throw new FlashError('IMAGE', `${hex32(at)} is not in the target's flash`);
      const block = region.blockSize ?? region.length;
      const start = region.start + Math.floor((at - region.start) / block) * block;
      const stop = Math.min(region.start + region.length, region.start + Math.ceil((Math.min(end, region.start + region.length) - region.start) / block) * block);
      ranges.push({ start, end: stop });
      at = stop;
    }
  }
  ranges.sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}
