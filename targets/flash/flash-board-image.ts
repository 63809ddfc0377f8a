// One image onto a catalog board over any SerialTransport, with the board's facts (its "flash" section: address,
// baud, reset wiring, expected chip) as `tinyforge flash` applies them: the playground flashes through this with
// Web Serial, over the same protocol code (flashStm32, flashEsp32Images) as the CLI.
import { defaultImageAddress, type FlashTarget } from './board-flash.ts';
import type { Esp32ResetMode } from './esp32/classic-reset.ts';
import { flashEsp32Images } from './esp32/flash-esp32.ts';
import { FlashError, hex32 } from './flash-error.ts';
import type { FlashImage } from './image/parse-image.ts';
import type { ProgressSink } from './progress-sink.ts';
import type { SerialTransport } from './serial-transport.ts';
import { flashStm32 } from './stm32/flash-stm32.ts';
import type { Stm32ResetMode } from './stm32/reset-sequences.ts';

export interface BoardImageOptions {
  /** Where the image goes (default: the file's own address, else the board's). */
  address?: number;
  verify?: boolean;
  /** ESP32: through esptool's flasher stub (default true) or the ROM loader alone. */
  stub?: boolean;
  progress?: ProgressSink;
}

export interface BoardImageResult {
  chip: string;
  address: number;
  bytes: number;
  verified: boolean;
  /** One line for the user, as the CLI prints it. */
  summary: string;
}

/** The baud and framing to open the port with: the STM32 loader autobauds at the board's rate in 8E1, the ESP32
 *  ROM listens at 115200 8N1 and the transfer rate is negotiated afterwards. */
export function openingLine(target: FlashTarget): { baudRate: number; serialMode: '8e1' | '8n1' } {
  return target.flash.family === 'esp32' ? { baudRate: 115200, serialMode: '8n1' } : { baudRate: target.flash.baudRate, serialMode: '8e1' };
}

export async function flashBoardImage(link: SerialTransport, target: FlashTarget, image: FlashImage, name: string, options: BoardImageOptions = {}): Promise<BoardImageResult> {
  const { flash } = target;
  const address = options.address ?? image.address ?? defaultImageAddress(flash, image.bytes);
  const run = flash.resetMode !== 'none';
  if (flash.family === 'stm32') {
    const r = await flashStm32(link, image.bytes, {
      address, verify: options.verify ?? true, resetMode: flash.resetMode as Stm32ResetMode, expectedPids: flash.chipIds, run,
      ...(options.progress ? { progress: options.progress } : {}),
    });
    return {
      chip: r.chip.name, address: r.address, bytes: r.bytes, verified: r.verified,
      summary: `flashed ${r.bytes} bytes to the ${r.chip.name} at ${hex32(r.address)} on ${link.path}, ${r.verified ? 'verified by read-back' : 'NOT verified'}` +
        (run ? '; reset into the application' : '; set BOOT0 low and press RESET to run it'),
    };
  }
  if (image.format === 'elf') throw new FlashError('IMAGE', `${name}: an ESP32 boots an app image, not an ELF: convert it first (esptool elf2image) and flash the .bin`);
  const stub = options.stub ?? true;
  const r = await flashEsp32Images(link, [{ address, bytes: image.bytes, name }], {
    verify: options.verify ?? true, resetMode: flash.resetMode as Esp32ResetMode, baudRate: flash.baudRate, stub,
    expectedChip: flash.chip, flashSize: flash.flashBytes, run,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  const one = r.images[0]!;
  return {
    chip: r.chip.name, address: one.address, bytes: one.bytes, verified: r.verified,
    summary: `flashed ${one.bytes} bytes to the ${r.chip.name} at ${hex32(one.address)} on ${link.path} (${one.bytesSent} bytes sent), ${r.verified ? 'MD5 verified' : 'NOT verified'}` +
      (stub ? ' through the flasher stub' : ' through the ROM loader') + (run ? '; reset into the application' : '; press RST to run it'),
  };
}

/** The parts of one firmware (code, model slot A) onto an ESP32 board in one session: esptool writes each at its
 * flash offset, so the megabytes between them are neither sent nor erased (one flattened image could not span them). */
export async function flashEsp32Parts(
  link: SerialTransport, target: FlashTarget, parts: readonly { address: number; bytes: Uint8Array; name: string }[], options: Omit<BoardImageOptions, 'address'> = {},
): Promise<BoardImageResult> {
  const { flash } = target;
  if (flash.family !== 'esp32') throw new FlashError('IMAGE', `${target.board.id} is not an ESP32 board: flash its image in one piece`);
  const run = flash.resetMode !== 'none';
  const stub = options.stub ?? true;
  const r = await flashEsp32Images(link, parts, {
    verify: options.verify ?? true, resetMode: flash.resetMode as Esp32ResetMode, baudRate: flash.baudRate, stub,
    expectedChip: flash.chip, flashSize: flash.flashBytes, run,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  const bytes = r.images.reduce((n, i) => n + i.bytes, 0);
  const where = r.images.map((i, k) => `${parts[k]!.name} at ${hex32(i.address)}`).join(', ');
  return {
    chip: r.chip.name, address: r.images[0]!.address, bytes, verified: r.verified,
    summary: `flashed ${bytes} bytes to the ${r.chip.name} (${where}) on ${link.path} (${r.images.reduce((n, i) => n + i.bytesSent, 0)} bytes sent), ${r.verified ? 'MD5 verified' : 'NOT verified'}` +
      (stub ? ' through the flasher stub' : ' through the ROM loader') + (run ? '; reset into the application' : '; press RST to run it'),
  };
}

