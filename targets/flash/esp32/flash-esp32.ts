// One ESP32 flashing session through the ROM loader: auto-reset into download mode, SYNC, identify the chip
// (chip id or magic register: chip-detect.ts), optionally raise the baud rate, attach SPI flash, write one
// or more images (deflate-compressed by default), check the MD5 the ROM computes, and reset.
//
// The order is esptool's: data, MD5, then the reset. The ROM loader leaves download mode on FLASH_END /
// FLASH_DEFL_END whatever the "stay in loader" flag says (only esptool's flasher stub stays), so END never
// goes to the ROM before the MD5; esptool's write_flash skips it for the ROM ("skip sending flash_finish to
// ROM loader here, as it causes the loader to exit and run user code") and its ROM soft reset is exactly
// FLASH_BEGIN(0, 0) + FLASH_END(reboot) as the last command of a session.
import { FlashError, hex32 } from '../flash-error.ts';
import { SILENT_PROGRESS, type ProgressSink } from '../progress-sink.ts';
import type { LinkStats, SerialTransport } from '../serial-transport.ts';
import type { EspChip, EspChipName } from './chip-detect.ts';
import { enterDownloadMode, hardReset, type Esp32ResetMode } from './classic-reset.ts';
import { Esp32RomClient, type Esp32ClientOptions } from './esp32-rom-client.ts';
import { flasherStub } from './flasher-stub.ts';
import { md5Hex } from './md5-hex.ts';
import { zlibCompress } from './zlib-compress.ts';

/** What happens after the last MD5: 'hard-reset' pulses EN (needs the classic wiring), 'run' sends the ROM
 * FLASH_BEGIN(0,0) + FLASH_END(reboot) so it leaves the loader over the wire alone, 'stay' sends nothing. */
export const ESP32_AFTER = ['hard-reset', 'run', 'stay'] as const;
export type Esp32After = (typeof ESP32_AFTER)[number];

export const ESP32_ERASE = ['all', 'regions'] as const;
export type Esp32Erase = (typeof ESP32_ERASE)[number];

export interface Esp32Image {
  /** Flash offset (4 KiB aligned). */
  address: number;
  bytes: Uint8Array;
  /** Shown in errors, e.g. the file name. */
  name?: string;
}

export interface Esp32FlashOptions {
  /** Flash offset of the image (an application partition is usually at 0x10000). */
  address: number;
  verify?: boolean;
  /** Stub only: also read every written region back (READ_FLASH) and compare it byte for byte, on top of the MD5. */
  readBack?: boolean;
  /** Stub only: 'all' erases the whole chip (ERASE_FLASH), 'regions' the sectors about to be written (ERASE_REGION), before writing. */
  erase?: Esp32Erase;
  resetMode?: Esp32ResetMode;
  /** Baud rate for the transfer; the ROM always starts at the rate the link was opened with. */
  baudRate?: number;
  compress?: boolean;
  /** Refuse a chip other than this one before anything is erased. */
  expectedChip?: EspChipName;
  flashSize?: number;
  /** Load esptool's flasher stub (from the esptool-js package) and flash through it; false keeps the ROM. */
  stub?: boolean;
  /** Bytes per FLASH_DATA / FLASH_DEFL_DATA packet; the ROM loader handles 1 KiB, the stub 16 KiB. */
  blockSize?: number;
  /** true = 'hard-reset' with the classic wiring, 'run' without it; false = 'stay'. `after` wins. */
  run?: boolean;
  after?: Esp32After;
  progress?: ProgressSink;
  client?: Esp32ClientOptions;
}

export interface Esp32FlashResult {
  chip: EspChip;
  mac: string;
  readBack: boolean;
  address: number;
  bytes: number;
  bytesSent: number;
  verified: boolean;
  /** Bytes both ways during the write phase only (the bench's wire efficiency). */
  writeWire: LinkStats;
}

const SECTOR = 4096;

export interface Esp32MultiFlashResult {
  chip: EspChip;
  /** The factory MAC from the eFuses, aa:bb:cc:dd:ee:ff. */
  mac: string;
  /** Every image was also read back and compared byte for byte. */
  readBack: boolean;
  images: { address: number; bytes: number; bytesSent: number }[];
  verified: boolean;
  writeWire: LinkStats;
}

export async function flashEsp32(link: SerialTransport, image: Uint8Array, options: Esp32FlashOptions): Promise<Esp32FlashResult> {
  const r = await flashEsp32Images(link, [{ address: options.address, bytes: image }], options);
  const one = r.images[0]!;
  return { chip: r.chip, mac: r.mac, readBack: r.readBack, address: one.address, bytes: one.bytes, bytesSent: one.bytesSent, verified: r.verified, writeWire: r.writeWire };
}

/** Several images (bootloader, partition table, app...) written and verified in one loader session. */
export async function flashEsp32Images(link: SerialTransport, images: readonly Esp32Image[], options: Omit<Esp32FlashOptions, 'address'>): Promise<Esp32MultiFlashResult> {
  const progress = options.progress ?? SILENT_PROGRESS;
  const resetMode = options.resetMode ?? 'classic';
  const flashSize = options.flashSize ?? 4 * 1024 * 1024;
  const useStub = options.stub ?? false;
  const blockSize = options.blockSize ?? (useStub ? 0x4000 : 0x400);
  const compress = options.compress ?? true;
  const after: Esp32After = options.after ?? (options.run ? (resetMode === 'classic' ? 'hard-reset' : 'run') : 'stay');
  if (images.length === 0) throw new FlashError('IMAGE', 'nothing to flash: no images given');
  checkLayout(images, flashSize);
  const readBack = options.readBack ?? false;
  if (!useStub && readBack) throw new FlashError('BOARD', 'read-back verification needs the flasher stub: the ESP ROM loader has no READ_FLASH. Drop --no-stub, or verify by MD5 only');
  if (!useStub && options.erase)
    throw new FlashError('BOARD', `--erase ${options.erase} needs the flasher stub: the ESP ROM loader has no ERASE_FLASH / ERASE_REGION (it erases what FLASH_BEGIN covers). Drop --no-stub`);
  if (readBack && options.verify === false) throw new FlashError('BOARD', 'read-back verification and no verification at once: pick one');

  const client = new Esp32RomClient(link, options.client);
  await enterDownloadMode(link, resetMode);
  await client.sync();
  const chip = await client.detectChip();
  if (options.expectedChip && chip.name !== options.expectedChip)
    throw new FlashError('CHIP_MISMATCH', `the device is an ${chip.name}, but the board has an ${options.expectedChip}: check --board`);
  // The stub is loaded at the ROM's rate; it then switches the rate itself, as esptool does.
  // A stub left running by an earlier session (no reset since) is used as it is: it cannot be uploaded again.
  if (useStub && !client.stub) await client.runStub(flasherStub(chip.name));
  if (options.baudRate && options.baudRate !== link.baudRate) await client.changeBaudrate(options.baudRate);
  await client.spiAttach();
  await client.spiSetParams(flashSize);
  const mac = await client.readMac();
  if (options.erase === 'all') await client.eraseFlash(flashSize);
  else if (options.erase === 'regions')
    for (const image of images) await client.eraseRegion(image.address, Math.ceil(image.bytes.length / SECTOR) * SECTOR);

  const before = { ...link.stats };
  const written: { address: number; bytes: number; bytesSent: number; padded: Uint8Array }[] = [];
  for (const image of images) {
    // The ROM writes whole words: pad like esptool does, with 0xFF (erased flash stays erased).
    const padded = new Uint8Array(Math.ceil(image.bytes.length / 4) * 4).fill(0xff);
    padded.set(image.bytes);
    let bytesSent = 0;
    // BEGIN's parameters carry no checksum: if the ROM rejects the data that follows, it may have taken a
    // garbled size or offset, so the whole write is started over once from BEGIN.
    for (let pass = 1; ; pass++) {
      try {
        bytesSent = await writeImage(client, padded, image.address, blockSize, compress, progress);
        break;
      } catch (err) {
        progress.stop();
        if (pass >= 2 || !(err instanceof FlashError) || (err.code !== 'DEVICE_ERROR' && err.code !== 'TIMEOUT')) throw err;
      }
    }
    written.push({ address: image.address, bytes: image.bytes.length, bytesSent, padded });
  }
  const writeWire = { bytesSent: link.stats.bytesSent - before.bytesSent, bytesReceived: link.stats.bytesReceived - before.bytesReceived };

  const verify = options.verify ?? true;
  if (verify) {
    const total = written.reduce((n, w) => n + w.bytes, 0);
    progress.start('verify', total);
    let done = 0;
    for (const w of written) {
      const want = md5Hex(w.padded);
      let got = await client.flashMd5Checked(w.address, w.padded.length);
      // A mismatch may be a bit flipped on the way back: ask once more before bisecting.
      if (got !== want) got = await client.flashMd5Checked(w.address, w.padded.length);
      if (got !== want) {
        // With the stub's READ_FLASH the first bad byte is read directly; the ROM path bisects with MD5s.
        const at = (readBack ? await readBackDifference(client, w.address, w.padded, progress) : undefined) ?? (await firstDifference(client, w.address, w.padded));
        throw new FlashError('VERIFY_MISMATCH', `verify failed: flash MD5 ${got} differs from the image's; the first differing byte is at ${hex32(at)}`, at);
      }
      done += w.bytes;
      progress.update(done);
    }
    progress.stop();
    if (readBack) {
      for (const w of written) {
        const at = await readBackDifference(client, w.address, w.padded, progress);
        if (at !== undefined) throw new FlashError('VERIFY_MISMATCH', `read-back failed: the flash differs from the image; the first differing byte is at ${hex32(at)}`, at);
      }
    }
  }
  // Only the stub stays in the loader on END with flag 1, so only the stub gets it (esptool: flash_finish(False)).
  if (useStub && written.length > 0) await (compress ? client.flashDeflEnd(true) : client.flashEnd(true));
  if (after === 'hard-reset') await hardReset(link, resetMode);
  else if (after === 'run') await client.leaveLoader();
  return { chip, mac, readBack, images: written.map(({ address, bytes, bytesSent }) => ({ address, bytes, bytesSent })), verified: verify, writeWire };
}

/** Every image sector-aligned, inside the flash, and no two overlapping, before anything is erased. */
export function checkLayout(images: readonly Esp32Image[], flashSize: number): void {
  const label = (i: Esp32Image) => (i.name ? `${i.name} ` : '') + `(${i.bytes.length} bytes at ${hex32(i.address)})`;
  for (const image of images) {
    if (image.address % SECTOR !== 0) throw new FlashError('IMAGE', `address ${hex32(image.address)} is not 4 KiB aligned: the ROM erases whole 4 KiB sectors`);
    if (image.address + image.bytes.length > flashSize)
      throw new FlashError('IMAGE', `the image ${label(image)} does not fit the ${flashSize / 1024 / 1024} MiB flash`);
  }
  const sorted = [...images].sort((a, b) => a.address - b.address);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    // The ROM erases whole sectors, so an image ending mid-sector owns the rest of that sector.
    const prevEnd = Math.ceil((prev.address + prev.bytes.length) / SECTOR) * SECTOR;
    if (sorted[i]!.address < prevEnd) throw new FlashError('IMAGE', `${label(sorted[i]!)} overlaps ${label(prev)}: the second write would erase part of the first`);
  }
}

/** BEGIN and the data packets (no END: see the top of the file); returns the bytes of image data sent (compressed size when compressing). */
async function writeImage(client: Esp32RomClient, padded: Uint8Array, address: number, blockSize: number, compress: boolean, progress: ProgressSink): Promise<number> {
  let bytesSent = 0;
  if (compress) {
    const packed = zlibCompress(padded);
    const blocks = Math.ceil(packed.length / blockSize);
    await client.flashDeflBegin(padded.length, blocks, blockSize, address);
    progress.start('write', packed.length);
    for (let seq = 0; seq < blocks; seq++) {
      const block = packed.subarray(seq * blockSize, (seq + 1) * blockSize);
      await client.flashDeflData(block, seq);
      bytesSent += block.length;
      progress.update(bytesSent);
    }
  } else {
    const blocks = Math.ceil(padded.length / blockSize);
    await client.flashBegin(padded.length, blocks, blockSize, address);
    progress.start('write', padded.length);
    for (let seq = 0; seq < blocks; seq++) {
      const block = new Uint8Array(blockSize).fill(0xff);
      block.set(padded.subarray(seq * blockSize, (seq + 1) * blockSize));
      await client.flashData(block, seq);
      bytesSent += Math.min(blockSize, padded.length - seq * blockSize);
      progress.update(bytesSent);
    }
  }
  progress.stop();
  return bytesSent;
}


/** Reads a region back through the stub; the address of the first byte that differs from `image`, or undefined. */
async function readBackDifference(client: Esp32RomClient, address: number, image: Uint8Array, progress: ProgressSink): Promise<number | undefined> {
  progress.start('read-back', image.length);
  const got = await client.readFlash(address, image.length, (n) => progress.update(n));
  progress.stop();
  const i = got.findIndex((b, k) => b !== image[k]);
  return i < 0 ? undefined : address + i;
}

/** The ROM cannot read flash back, but it hashes any range: bisect with MD5s down to the first bad byte. */
async function firstDifference(client: Esp32RomClient, address: number, image: Uint8Array): Promise<number> {
  let lo = 0;
  let hi = image.length;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const left = await client.flashMd5Checked(address + lo, mid - lo);
    if (left !== md5Hex(image.subarray(lo, mid))) hi = mid;
    else lo = mid;
  }
  return address + lo;
}
