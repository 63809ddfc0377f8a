// Builds small ELF32 little-endian files for tests: just the file header and PT_LOAD program headers.
export interface TestSegment {
  /** Load (physical) address: where a flasher must put the bytes. */
  paddr: number;
  /** Run (virtual) address, e.g. .data in RAM; differs from paddr for initialized data. */
  vaddr?: number;
  bytes: Uint8Array;
  /** Extra zero-initialized bytes in memory only (.bss). */
  bssBytes?: number;
}

export function buildElf32(segments: TestSegment[], machine = 40 /* EM_ARM */): Uint8Array {
  const headerSize = 52;
  const phSize = 32;
  let offset = headerSize + phSize * segments.length;
  const layout = segments.map((s) => {
    const at = offset;
    offset += s.bytes.length;
    return at;
  });
  const out = new Uint8Array(offset);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, machine, true);
  v.setUint32(20, 1, true);
  v.setUint32(24, segments[0]?.paddr ?? 0, true); // entry
  v.setUint32(28, headerSize, true); // phoff
  v.setUint16(40, headerSize, true);
  v.setUint16(42, phSize, true);
  v.setUint16(44, segments.length, true);
  segments.forEach((s, i) => {
    const ph = headerSize + i * phSize;
    v.setUint32(ph, 1, true); // PT_LOAD
    v.setUint32(ph + 4, layout[i]!, true);
    v.setUint32(ph + 8, s.vaddr ?? s.paddr, true);
    v.setUint32(ph + 12, s.paddr, true);
    v.setUint32(ph + 16, s.bytes.length, true);
    v.setUint32(ph + 20, s.bytes.length + (s.bssBytes ?? 0), true);
    v.setUint32(ph + 24, 5, true);
    v.setUint32(ph + 28, 4, true);
    out.set(s.bytes, layout[i]!);
  });
  return out;
}
