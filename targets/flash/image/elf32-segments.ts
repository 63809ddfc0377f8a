// The loadable segments of a 32-bit little-endian ELF file (program headers of type PT_LOAD), placed at
// their physical (load) addresses: that is what a flasher writes, e.g. .data's initial values right after
// .text rather than at their RAM address. No npm package for this is installed; the format is small.
export interface LoadSegment {
  address: number;
  bytes: Uint8Array;
}

const PT_LOAD = 1;

export function elf32LoadSegments(file: Uint8Array): LoadSegment[] {
  const fail = (why: string): never => {
    throw new Error(`not a usable ELF file: ${why}`);
  };
  if (file.length < 52 || file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) fail('no ELF magic');
  if (file[4] !== 1) fail('not a 32-bit ELF (EI_CLASS must be 1)');
  if (file[5] !== 1) fail('not little-endian (EI_DATA must be 1)');
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  if (phnum === 0) fail('no program headers (was it linked?)');
  if (phentsize < 32 || phoff + phnum * phentsize > file.length) fail('program header table outside the file');
  const segments: LoadSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    const type = view.getUint32(at, true);
    const offset = view.getUint32(at + 4, true);
    const paddr = view.getUint32(at + 12, true);
    const filesz = view.getUint32(at + 16, true);
    if (type !== PT_LOAD || filesz === 0) continue;
    if (offset + filesz > file.length) fail(`segment ${i} extends past the end of the file`);
    segments.push({ address: paddr, bytes: file.slice(offset, offset + filesz) });
  }
  if (segments.length === 0) fail('no loadable segment with file contents');
  return segments.sort((a, b) => a.address - b.address);
}
