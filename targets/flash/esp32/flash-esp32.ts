// One ESP32 flashing session through the ROM loader: auto-reset into download mode, SYNC, identify the chip
// by its magic register, optionally raise the baud rate, attach SPI flash, write (deflate-compressed by
// default), check the MD5 the ROM computes, and reset into the application.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { FlashError, hex32 } from '../flash-error.ts';
import { SILENT_PROGRESS, type ProgressSink } from '../progress.ts';
import type { LinkStats, SerialLink } from '../serial-link.ts';
import type { EspChip, EspChipName } from './chip-detect.ts';
import { enterDownloadMode, hardReset, type Esp32ResetMode } from './classic-reset.ts';
import { Esp32RomClient, type Esp32ClientOptions } from './esp32-rom-client.ts';

export interface Esp32FlashOptions {
  /** Flash offset of the image (an application partition is usually at 0x10000). */
  address: number;
  verify?: boolean;
  resetMode?: Esp32ResetMode;
  /** Baud rate for the transfer; the ROM always starts at the rate the link was opened with. */
  baudRate?: number;
  compress?: boolean;
  /** Refuse a chip other than this one before anything is erased. */
  expectedChip?: EspChipName;
  flashSize?: number;
  /** Bytes per FLASH_DATA / FLASH_DEFL_DATA packet; the ROM loader handles 1 KiB. */
  blockSize?: number;
  run?: boolean;
  progress?: ProgressSink;
  client?: Esp32ClientOptions;
}

export interface Esp32FlashResult {
  chip: EspChip;
  address: number;
  bytes: number;
  bytesSent: number;
  verified: boolean;
  /** Bytes both ways during the write phase only (the bench's wire efficiency). */
  writeWire: LinkStats;
}

const SECTOR = 4096;

export async function flashEsp32(link: SerialLink, image: Uint8Array, options: Esp32FlashOptions): Promise<Esp32FlashResult> {
  const progress = options.progress ?? SILENT_PROGRESS;
  const resetMode = options.resetMode ?? 'classic';
  const address = options.address;
  const flashSize = options.flashSize ?? 4 * 1024 * 1024;
  const blockSize = options.blockSize ?? 0x400;
  const compress = options.compress ?? true;
  if (address % SECTOR !== 0) throw new FlashError('IMAGE', `address ${hex32(address)} is not 4 KiB aligned: the ROM erases whole 4 KiB sectors`);
  if (address + image.length > flashSize)
    throw new FlashError('IMAGE', `the image (${image.length} bytes at ${hex32(address)}) does not fit the ${flashSize / 1024 / 1024} MiB flash`);

  const client = new Esp32RomClient(link, options.client);
  await enterDownloadMode(link, resetMode);
  await client.sync();
  const chip = await client.detectChip();
  if (options.expectedChip && chip.name !== options.expectedChip)
    throw new FlashError('CHIP_MISMATCH', `the device is an ${chip.name}, but the board has an ${options.expectedChip}: check --board`);
  if (options.baudRate && options.baudRate !== link.baudRate) await client.changeBaudrate(options.baudRate);
  await client.spiAttach();
  await client.spiSetParams(flashSize);

  // The ROM writes whole words: pad like esptool does, with 0xFF (erased flash stays erased).
  const padded = new Uint8Array(Math.ceil(image.length / 4) * 4).fill(0xff);
  padded.set(image);
  const before = { ...link.stats };
  let bytesSent = 0;
  // BEGIN's parameters carry no checksum: if the ROM rejects the data that follows, it may have taken a
  // garbled size or offset, so the whole write is started over once from BEGIN.
  for (let pass = 1; ; pass++) {
    try {
      bytesSent = await writeImage(client, padded, address, blockSize, compress, progress);
      break;
    } catch (err) {
      progress.stop();
      if (pass >= 2 || !(err instanceof FlashError) || (err.code !== 'DEVICE_ERROR' && err.code !== 'TIMEOUT')) throw err;
    }
  }
  const writeWire = { bytesSent: link.stats.bytesSent - before.bytesSent, bytesReceived: link.stats.bytesReceived - before.bytesReceived };

  const verify = options.verify ?? true;
  if (verify) {
    progress.start('verify', image.length);
    const want = md5(padded);
    let got = await client.flashMd5Checked(address, padded.length);
    // A mismatch may be a bit flipped on the way back: ask once more before bisecting.
    if (got !== want) got = await client.flashMd5Checked(address, padded.length);
    if (got !== want) {
      const at = await firstDifference(client, address, padded);
      throw new FlashError('VERIFY_MISMATCH', `verify failed: flash MD5 ${got} differs from the image's; the first differing byte is at ${hex32(at)}`, at);
    }
    progress.update(image.length);
    progress.stop();
  }
  if (options.run) await hardReset(link, resetMode);
  return { chip, address, bytes: image.length, bytesSent, verified: verify, writeWire };
}

/** BEGIN, the data packets, END; returns the bytes of image data sent (compressed size when compressing). */
async function writeImage(client: Esp32RomClient, padded: Uint8Array, address: number, blockSize: number, compress: boolean, progress: ProgressSink): Promise<number> {
  let bytesSent = 0;
  if (compress) {
    const packed = deflateSync(padded, { level: 9 });
    const blocks = Math.ceil(packed.length / blockSize);
    await client.flashDeflBegin(padded.length, blocks, blockSize, address);
    progress.start('write', packed.length);
    for (let seq = 0; seq < blocks; seq++) {
      const block = packed.subarray(seq * blockSize, (seq + 1) * blockSize);
      await client.flashDeflData(block, seq);
      bytesSent += block.length;
      progress.update(bytesSent);
    }
    await client.flashDeflEnd(true);
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
    await client.flashEnd(true);
  }
  progress.stop();
  return bytesSent;
}

function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** The ROM cannot read flash back, but it hashes any range: bisect with MD5s down to the first bad byte. */
async function firstDifference(client: Esp32RomClient, address: number, image: Uint8Array): Promise<number> {
  let lo = 0;
  let hi = image.length;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const left = await client.flashMd5Checked(address + lo, mid - lo);
    if (left !== md5(image.subarray(lo, mid))) hi = mid;
    else lo = mid;
  }
  return address + lo;
}
