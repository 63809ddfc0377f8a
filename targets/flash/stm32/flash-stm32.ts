// One STM32 flashing session: reset into the bootloader, identify the chip, (optionally) lift protection,
// erase exactly the pages the image covers, write in 256-byte blocks, read back and compare.
import { FlashError, hex32 } from '../flash-error.ts';
import { SILENT_PROGRESS, type ProgressSink } from '../progress-sink.ts';
import type { LinkStats, SerialTransport } from '../serial-transport.ts';
import { MAX_BLOCK } from './an3155-codec.ts';
import { flashSize, sectorsCovering, stm32ChipById, type Stm32Chip } from './chip-ids.ts';
import { enterBootloader, runApplication, type Stm32ResetMode } from './reset-sequences.ts';
import { Stm32BootloaderClient, type Stm32ClientOptions } from './stm32-bootloader-client.ts';

export interface Stm32FlashOptions {
  /** Where the image goes; defaults to the chip's flash base. */
  address?: number;
  verify?: boolean;
  resetMode?: Stm32ResetMode;
  /** Lift readout and write protection first (readout unprotect mass-erases the chip). */
  unprotect?: boolean;
  /** Product ids the board may carry; a different chip is refused before anything is erased. */
  expectedPids?: readonly number[];
  /** Reset into the application afterwards (needs reset lines). */
  run?: boolean;
  progress?: ProgressSink;
  client?: Stm32ClientOptions;
}

export interface Stm32FlashResult {
  chip: Stm32Chip;
  bootloaderVersion: number;
  address: number;
  bytes: number;
  verified: boolean;
  /** Bytes both ways during the write phase only (the bench's wire efficiency). */
  writeWire: LinkStats;
}

export async function flashStm32(link: SerialTransport, image: Uint8Array, options: Stm32FlashOptions = {}): Promise<Stm32FlashResult> {
  const progress = options.progress ?? SILENT_PROGRESS;
  const resetMode = options.resetMode ?? 'none';
  const client = new Stm32BootloaderClient(link, options.client);

  await enterBootloader(link, resetMode);
  const info = await client.connect();
  const chip = stm32ChipById(info.pid);
  if (!chip) throw new FlashError('CHIP_MISMATCH', `unknown STM32 product id 0x${info.pid.toString(16)}: not in tinyforge's chip table`);
  if (options.expectedPids && !options.expectedPids.includes(info.pid))
    throw new FlashError(
      'CHIP_MISMATCH',
      `the device is a ${chip.name} (id 0x${info.pid.toString(16)}), but the board expects id ${options.expectedPids.map((p) => '0x' + p.toString(16)).join(' or ')}: check --board`,
    );

  const address = options.address ?? chip.flashBase;
  const end = chip.flashBase + flashSize(chip);
  if (address < chip.flashBase || address + image.length > end)
    throw new FlashError(
      'IMAGE',
      `the image (${image.length} bytes at ${hex32(address)}) does not fit the ${chip.name} flash ${hex32(chip.flashBase)}..${hex32(end)}`,
    );
  if (address % 4 !== 0) throw new FlashError('IMAGE', `address ${hex32(address)} is not word aligned`);

  if (options.unprotect) {
    await liftProtection(client, chip);
  } else {
    await probeReadable(client, chip);
  }

  const sectors = sectorsCovering(chip, address, image.length);
  progress.start('erase', sectors.length);
  await client.erasePages(sectors);
  progress.update(sectors.length);
  progress.stop();

  // Flash writes are word sized: pad the tail with 0xFF, which leaves erased bytes erased.
  const padded = new Uint8Array(Math.ceil(image.length / 4) * 4).fill(0xff);
  padded.set(image);
  const before = { ...link.stats };
  progress.start('write', image.length);
  for (let off = 0; off < padded.length; off += MAX_BLOCK) {
    const block = padded.subarray(off, off + MAX_BLOCK);
    // The sectors were just erased, so a block of 0xFF is already in flash (an image's gaps: a slot firmware's
    // code and model slot A in one file). The verify below still reads it back.
    if (!block.every((b) => b === 0xff)) await client.writeMemory(address + off, block);
    progress.update(Math.min(image.length, off + MAX_BLOCK));
  }
  progress.stop();
  const writeWire = { bytesSent: link.stats.bytesSent - before.bytesSent, bytesReceived: link.stats.bytesReceived - before.bytesReceived };

  if (options.verify ?? true) {
    progress.start('verify', image.length);
    for (let off = 0; off < image.length; off += MAX_BLOCK) {
      const want = image.subarray(off, off + MAX_BLOCK);
      await verifyBlock(client, address + off, want);
      progress.update(off + want.length);
    }
    progress.stop();
  }

  if (options.run) await runApplication(link, resetMode);
  return { chip, bootloaderVersion: info.version, address, bytes: image.length, verified: options.verify ?? true, writeWire };
}

/** Read Memory answers carry no checksum, so a mismatch is read a second time before it is believed. */
async function verifyBlock(client: Stm32BootloaderClient, address: number, want: Uint8Array): Promise<void> {
  let firstDiff = -1;
  for (let read = 0; read < 2; read++) {
    const got = await client.readMemory(address, want.length);
    firstDiff = want.findIndex((b, i) => got[i] !== b);
    if (firstDiff < 0) return;
  }
  const at = address + firstDiff;
  throw new FlashError('VERIFY_MISMATCH', `verify failed: the first differing byte is at ${hex32(at)}`, at);
}

/** A read-protected chip NACKs Read Memory; finding out before erasing gives the user the right advice. */
async function probeReadable(client: Stm32BootloaderClient, chip: Stm32Chip): Promise<void> {
  await client.readMemory(chip.flashBase, 4);
}

async function liftProtection(client: Stm32BootloaderClient, chip: Stm32Chip): Promise<void> {
  try {
    await client.readMemory(chip.flashBase, 4);
  } catch (err) {
    if (!(err instanceof FlashError && err.code === 'READ_PROTECTED')) throw err;
    await client.readoutUnprotect();
  }
  await client.writeUnprotect();
}
