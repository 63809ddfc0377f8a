// Firmware images as users hand them to `tinyforge flash`: raw .bin, Intel .hex and linked .elf files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import intelHex from 'nrf-intel-hex';
import { afterAll, describe, expect, it } from 'vitest';
import { FlashError } from '../../targets/flash/flash-error.ts';
import { loadImage } from '../../targets/flash/image/load-image.ts';
import { buildElf32 } from './elf32-builder.ts';

const MemoryMap = ((intelHex as unknown as { default?: typeof intelHex.default }).default ?? intelHex) as typeof intelHex.default;
const dir = mkdtempSync(join(tmpdir(), 'tinyforge-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, data: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

describe('loadImage', () => {
  it('takes a .bin as is, with no address of its own', () => {
    const img = loadImage(file('a.bin', Uint8Array.of(1, 2, 3)));
    expect(img).toEqual({ address: undefined, bytes: Uint8Array.of(1, 2, 3), format: 'bin' });
  });

  it('places .hex records at their addresses and fills gaps with erased-flash 0xFF', () => {
    const map = new MemoryMap({ 0x0800_0000: Uint8Array.of(1, 2), 0x0800_0004: Uint8Array.of(5) });
    const img = loadImage(file('a.hex', map.asHexString()));
    expect(img.address).toBe(0x0800_0000);
    expect([...img.bytes]).toEqual([1, 2, 0xff, 0xff, 5]);
  });

  it('writes .elf segments at their load addresses, not their RAM addresses, and skips .bss', () => {
    const elf = buildElf32([
      { paddr: 0x0800_0000, bytes: Uint8Array.of(0xaa, 0xbb, 0xcc, 0xdd) },
      // .data: runs in RAM at 0x20000000, stored in flash right after .text
      { paddr: 0x0800_0006, vaddr: 0x2000_0000, bytes: Uint8Array.of(7, 8), bssBytes: 64 },
    ]);
    const img = loadImage(file('fw.elf', elf));
    expect(img.format).toBe('elf');
    expect(img.address).toBe(0x0800_0000);
    expect([...img.bytes]).toEqual([0xaa, 0xbb, 0xcc, 0xdd, 0xff, 0xff, 7, 8]);
  });

  it.each([
    ['empty.bin', new Uint8Array(0), /empty/],
    ['bad.hex', ':zz\n', /not a valid Intel HEX/],
    ['bad.elf', Uint8Array.of(1, 2, 3), /no ELF magic/],
    ['fw.uf2', Uint8Array.of(1), /unknown image type '\.uf2'/],
  ])('refuses %s with a named IMAGE error', (name, data, message) => {
    const err = (() => {
      try {
        loadImage(file(name, data));
      } catch (e) {
        return e;
      }
    })() as FlashError;
    expect(err).toBeInstanceOf(FlashError);
    expect(err.code).toBe('IMAGE');
    expect(err.message).toMatch(message);
  });

  it('refuses parts too far apart to fill, naming both addresses', () => {
    const elf = buildElf32([
      { paddr: 0x0800_0000, bytes: Uint8Array.of(1) },
      { paddr: 0x0900_0000, bytes: Uint8Array.of(2) },
    ]);
    expect(() => loadImage(file('far.elf', elf))).toThrow(/0x08000001 and 0x09000000/);
  });

  it('names a missing file', () => {
    expect(() => loadImage(join(dir, 'nope.bin'))).toThrow(/cannot read image .*nope\.bin: ENOENT/);
  });
});
