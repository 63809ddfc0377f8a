// `tinyforge flash build/` on an ESP-IDF build folder (flasher_args.json, as `idf.py build` writes it) and
// `--image OFFSET FILE`, as a user runs them: the CLI against the simulated ROM on a real socat pty.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as flash } from '../../cli/commands/flash.ts';
import { withFlashParams } from '../../targets/flash/esp32/image-flash-params.ts';
import { Esp32RomSim } from '../../targets/flash/sim/esp32-rom-sim.ts';
import type { ServedPty } from '../../targets/flash/sim/pty-endpoint.ts';
import { requireTool } from './required-tool.ts';
import { captureConsole, withPty } from './sim-on-pty.ts';

const root = mkdtempSync(join(tmpdir(), 'tinyforge-idf-'));
let out: string[];
let err: string[];

beforeAll(() => requireTool('socat'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function capture(): void {
  ({ out, err } = captureConsole());
}

function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 17 + (i >> 7)) & 0xff);
}

/**
 * An ESP image the way ESP-IDF lays one out: 8-byte header (0xE9, segment count, SPI mode, size|freq,
 * entry), 16-byte extended header (chip id at 12, hash_appended at 23), segments (load address, length,
 * data), padding to 16 with the XOR-0xEF checksum last, then the SHA-256 of everything before it.
 */
function espImage(chipId: number, mode: number, sizeFreq: number, segment: Uint8Array): Uint8Array {
  const head = new Uint8Array(24);
  const v = new DataView(head.buffer);
  head.set([0xe9, 1, mode, sizeFreq]);
  v.setUint32(4, 0x4008_0400, true);
  head[8] = 0xee;
  v.setUint16(12, chipId, true);
  head[23] = 1;
  const seg = new Uint8Array(8 + segment.length);
  new DataView(seg.buffer).setUint32(0, 0x4008_0000, true);
  new DataView(seg.buffer).setUint32(4, segment.length, true);
  seg.set(segment, 8);
  let sum = 0xef;
  for (const b of segment) sum ^= b;
  const unpadded = head.length + seg.length + 1;
  const body = new Uint8Array(Math.ceil(unpadded / 16) * 16);
  body.set(head);
  body.set(seg, head.length);
  body[body.length - 1] = sum;
  return Uint8Array.of(...body, ...createHash('sha256').update(body).digest());
}

/** A one-entry partition table (factory app at 0x10000) with its MD5 entry, 0xFF-filled to 3 KiB. */
function partitionTable(): Uint8Array {
  const t = new Uint8Array(0xc00).fill(0xff);
  const v = new DataView(t.buffer);
  t.set([0xaa, 0x50, 0x00, 0x00]);
  v.setUint32(4, 0x10000, true);
  v.setUint32(8, 0x100000, true);
  t.set(new TextEncoder().encode('factory\0\0\0\0\0\0\0\0\0'), 12);
  v.setUint32(28, 0, true);
  t.set([0xeb, 0xeb], 32);
  t.set(createHash('md5').update(t.subarray(0, 32)).digest(), 48);
  return t;
}

interface Build {
  dir: string;
  bootloader: Uint8Array;
  table: Uint8Array;
  app: Uint8Array;
}

/** A build folder shaped like ESP-IDF's, with flasher_args.json as `idf.py build` writes it. */
function idfBuild(name: string, chip: 'esp32' | 'esp32s3', settings = { flash_mode: 'dio', flash_size: '4MB', flash_freq: '40m' }): Build {
  const dir = join(root, name, 'build');
  mkdirSync(join(dir, 'bootloader'), { recursive: true });
  mkdirSync(join(dir, 'partition_table'), { recursive: true });
  const bootloader = espImage(chip === 'esp32' ? 0 : 9, 2, 0x20, bytes(20_000, 1));
  const table = partitionTable();
  const app = espImage(chip === 'esp32' ? 0 : 9, 2, 0x20, bytes(90_000, 2));
  writeFileSync(join(dir, 'bootloader', 'bootloader.bin'), bootloader);
  writeFileSync(join(dir, 'partition_table', 'partition-table.bin'), table);
  writeFileSync(join(dir, 'kws.bin'), app);
  const boot = chip === 'esp32' ? '0x1000' : '0x0';
  const json = {
    write_flash_args: ['--flash_mode', settings.flash_mode, '--flash_size', settings.flash_size, '--flash_freq', settings.flash_freq],
    flash_settings: settings,
    flash_files: { [boot]: 'bootloader/bootloader.bin', '0x10000': 'kws.bin', '0x8000': 'partition_table/partition-table.bin' },
    bootloader: { offset: boot, file: 'bootloader/bootloader.bin', encrypted: 'false' },
    app: { offset: '0x10000', file: 'kws.bin', encrypted: 'false' },
    'partition-table': { offset: '0x8000', file: 'partition_table/partition-table.bin', encrypted: 'false' },
    extra_esptool_args: { after: 'hard_reset', before: 'default_reset', stub: true, chip },
  };
  writeFileSync(join(dir, 'flasher_args.json'), JSON.stringify(json, null, 4));
  return { dir, bootloader, table, app };
}

const onPty = (chip: string, body: (pty: ServedPty, sim: Esp32RomSim) => Promise<void>) => withPty(new Esp32RomSim({ chip }), body);

const holds = (sim: Esp32RomSim, at: number, img: Uint8Array) => Buffer.compare(sim.flash.read(at, img.length), img) === 0;

describe('tinyforge flash <ESP-IDF build folder>', () => {
  it('writes bootloader, partition table and app at their offsets in one session, like idf.py flash', async () => {
    const b = idfBuild('devkitc', 'esp32');
    await onPty('ESP32', async (pty, sim) => {
      capture();
      const code = await flash([b.dir, '--board', 'esp32-devkitc', '--port', pty.hostPath, '--reset-mode', 'none']);
      expect(err).toEqual([]);
      expect(code).toBe(0);
      expect(out.join('\n')).toMatch(/flashed 3 images, \d+ bytes, to the ESP32 .* in one session: 0x00001000 bootloader\/bootloader.bin .*0x00008000 partition_table\/partition-table.bin .*0x00010000 kws.bin .*MD5 verified/);
      expect(holds(sim, 0x1000, b.bootloader)).toBe(true); // flash_settings match the header: unchanged
      expect(holds(sim, 0x8000, b.table)).toBe(true);
      expect(holds(sim, 0x10000, b.app)).toBe(true);
      // One loader session: the stub is started once (a SYNC may be retried when the machine is loaded).
      expect(sim.counters.stubStarts).toBe(1);
      expect(sim.counters.loaderExits).toBe(0);
    });
  });

  it("sets the build's flash mode and frequency in the bootloader header and keeps its SHA-256 valid", async () => {
    const b = idfBuild('qio', 'esp32', { flash_mode: 'qio', flash_size: '4MB', flash_freq: '80m' });
    await onPty('ESP32', async (pty, sim) => {
      capture();
      expect(await flash([b.dir, '--board', 'esp32-devkitc', '--port', pty.hostPath, '--reset-mode', 'none'])).toBe(0);
      const boot = sim.flash.read(0x1000, b.bootloader.length);
      expect([boot[2], boot[3]]).toEqual([0x00, 0x2f]); // qio; 4MB | 80m
      const n = boot.length - 32;
      expect(Buffer.from(boot.subarray(n)).equals(createHash('sha256').update(boot.subarray(0, n)).digest())).toBe(true);
      expect(holds(sim, 0x10000, b.app)).toBe(true); // only the bootloader is patched, as esptool does
    });
  });

  it('puts an ESP32-S3 bootloader at 0x0', async () => {
    const b = idfBuild('s3', 'esp32s3');
    await onPty('ESP32-S3', async (pty, sim) => {
      capture();
      expect(await flash([b.dir, '--board', 'esp32-s3-devkitc', '--port', pty.hostPath, '--reset-mode', 'none'])).toBe(0);
      expect(holds(sim, 0x0, b.bootloader)).toBe(true);
      expect(holds(sim, 0x10000, b.app)).toBe(true);
    });
  });

  it('refuses a build for another chip before touching the port', async () => {
    const b = idfBuild('wrong-chip', 'esp32s3');
    capture();
    expect(await flash([b.dir, '--board', 'esp32-devkitc', '--port', '/dev/null-nothing'])).toBe(1);
    expect(err[0]).toMatch(/was built for esp32s3, but esp32-devkitc carries an ESP32: rebuild with `idf.py set-target esp32`/);
  });

  it('says a folder without flasher_args.json needs idf.py build', async () => {
    const dir = join(root, 'empty');
    mkdirSync(dir, { recursive: true });
    capture();
    expect(await flash([dir, '--board', 'esp32-devkitc', '--port', '/dev/null-nothing'])).toBe(1);
    expect(err[0]).toMatch(/flasher_args.json: not found \(run `idf.py build` first/);
  });
});

describe('tinyforge flash --image OFFSET FILE', () => {
  it('writes every pair in one session, with or without a positional image', async () => {
    const b = idfBuild('pairs', 'esp32');
    const data = join(root, 'model.bin');
    const model = bytes(50_001, 3);
    writeFileSync(data, model);
    await onPty('ESP32', async (pty, sim) => {
      capture();
      const args = ['--image', '0x1000', join(b.dir, 'bootloader', 'bootloader.bin'), '--image', '0x10000', join(b.dir, 'kws.bin'), '--image', '0x200000', data];
      expect(await flash([...args, '--board', 'esp32-devkitc', '--port', pty.hostPath, '--reset-mode', 'none'])).toBe(0);
      expect(err).toEqual([]);
      expect(holds(sim, 0x1000, b.bootloader)).toBe(true);
      expect(holds(sim, 0x10000, b.app)).toBe(true);
      expect(holds(sim, 0x200000, model)).toBe(true);
      // One loader session: the stub is started once (a SYNC may be retried when the machine is loaded).
      expect(sim.counters.stubStarts).toBe(1);
      expect(out.join('\n')).toMatch(/flashed 3 images, 160\d+ bytes/);
    });
  });

  it('refuses overlapping images before erasing anything, and a malformed pair', async () => {
    const a = join(root, 'a.bin');
    writeFileSync(a, bytes(10_000, 4));
    capture();
    expect(await flash(['--image', '0x10000', a, '--image', '0x11000', a, '--board', 'esp32-devkitc', '--port', '/dev/null-nothing'])).toBe(1);
    expect(err[0]).toMatch(/a.bin \(10000 bytes at 0x00011000\) overlaps .*a.bin \(10000 bytes at 0x00010000\)/);
    capture();
    expect(await flash(['--image', 'here', a, '--board', 'esp32-devkitc', '--port', '/dev/x'])).toBe(64); // a usage error, as for every verb
    expect(err[0]).toMatch(/--image: expected an offset like 0x10000/);
  });
});

describe('flash parameters in an image header', () => {
  it('leaves an image without the 0xE9 magic alone, and refuses an unknown mode', () => {
    const raw = bytes(100, 5);
    expect(withFlashParams(raw, { mode: 'qio' }).changed).toBe(false);
    expect(() => withFlashParams(espImage(0, 2, 0x20, bytes(64, 1)), { mode: 'quad' })).toThrow(/flash mode 'quad' is not one of qio, qout, dio, dout, keep/);
  });
});
