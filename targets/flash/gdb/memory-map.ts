// The target's memory map as a GDB stub describes it (qXfer:memory-map:read, GDB's memory-map DTD): which
// ranges are RAM and which are flash, and each flash range's erase block size. OpenOCD builds it from its
// flash banks (one <memory> per run of equal sectors); QEMU's gdbstub sends none.
export interface MemoryRegion {
  type: 'ram' | 'rom' | 'flash';
  start: number;
  length: number;
  /** Erase granularity of a flash region. */
  blockSize?: number;
}

export function parseMemoryMap(xml: string): MemoryRegion[] {
  const regions: MemoryRegion[] = [];
  const element = /<memory\s([^>]*?)(\/>|>([\s\S]*?)<\/memory>)/g;
  const attr = (attrs: string, name: string) => new RegExp(`${name}\\s*=\\s*"([^"]*)"`).exec(attrs)?.[1];
  for (const m of xml.matchAll(element)) {
    const type = attr(m[1]!, 'type');
    const start = Number(attr(m[1]!, 'start'));
    const length = Number(attr(m[1]!, 'length'));
    if ((type !== 'ram' && type !== 'rom' && type !== 'flash') || !Number.isFinite(start) || !Number.isFinite(length)) continue;
    const block = m[3] ? /<property\s+name\s*=\s*"blocksize"\s*>\s*([^<\s]+)\s*</.exec(m[3])?.[1] : undefined;
    regions.push({ type, start, length, ...(block ? { blockSize: Number(block) } : {}) });
  }
  return regions.sort((a, b) => a.start - b.start);
}

/** The flash region holding `address`, if any. */
export function flashRegionAt(map: readonly MemoryRegion[], address: number): MemoryRegion | undefined {
  return map.find((r) => r.type === 'flash' && address >= r.start && address < r.start + r.length);
}
