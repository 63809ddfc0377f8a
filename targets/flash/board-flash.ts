// The `flash` object of a board file: which ROM loader the board's chip has, where images go, the baud rate,
// how DTR/RTS reach reset/boot pins and how a person puts the board into its bootloader by hand.
// The board catalog (targets/boards) keeps this object opaque; it is validated here.
import { z } from 'zod';
import { loadBoard, type Board } from '../boards/load-board.ts';
import { ESP32_RESET_MODES } from './esp32/classic-reset.ts';
import { FlashError } from './flash-error.ts';
import { espDefaultAddress } from './image/esp-boot-offset.ts';
import { STM32_RESET_MODES } from './stm32/reset-sequences.ts';

const address = z.number().int().nonnegative();

export const Stm32FlashSchema = z.strictObject({
  family: z.literal('stm32'),
  /** Where images go unless --address says otherwise (the flash base). */
  address,
  baudRate: z.number().int().positive(),
  resetMode: z.enum(STM32_RESET_MODES),
  /** Product ids (Get ID) this board may carry. */
  chipIds: z.array(z.number().int().positive()).min(1),
  /** Shown when the bootloader does not answer. */
  bootloaderEntry: z.string().min(1),
});

export const Esp32FlashSchema = z.strictObject({
  family: z.literal('esp32'),
  /** Flash offset of the application image (the factory partition of the default partition table). */
  address,
  /** Transfer baud rate; the ROM always starts at 115200 and is switched with CHANGE_BAUDRATE. */
  baudRate: z.number().int().positive(),
  resetMode: z.enum(ESP32_RESET_MODES),
  chip: z.enum(['ESP32', 'ESP32-S2', 'ESP32-S3', 'ESP32-C3']),
  flashBytes: z.number().int().positive(),
  bootloaderEntry: z.string().min(1),
});

export const BoardFlashSchema = z.discriminatedUnion('family', [Stm32FlashSchema, Esp32FlashSchema]);
export type BoardFlash = z.infer<typeof BoardFlashSchema>;

/** Where an image without an address of its own goes: the board's address, except an ESP32-C3 image the ROM boots
 *  itself (esp-boot-offset.ts), which goes to the bootloader offset. The CLI and the playground both ask here. */
export function defaultImageAddress(flash: BoardFlash, bytes: Uint8Array): number {
  return flash.family === 'esp32' ? espDefaultAddress(bytes, flash.chip, flash.address) : flash.address;
}

export interface FlashTarget {
  board: Board;
  flash: BoardFlash;
}

/** Loads a catalog board and its flashing facts; every problem becomes a BOARD error naming the way out. */
export function loadFlashTarget(id: string): FlashTarget {
  let board: Board;
  try {
    board = loadBoard(id);
  } catch (err) {
    throw new FlashError('BOARD', (err as Error).message);
  }
  return flashTargetOf(board);
}

/** A board's flashing facts (its "flash" section, checked). */
export function flashTargetOf(board: Board): FlashTarget {
  const id = board.id;
  if (!board.flash) throw new FlashError('BOARD', `board '${id}' has no "flash" section: tinyforge does not know how to flash it over serial`);
  const parsed = BoardFlashSchema.safeParse(board.flash);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `flash.${i.path.join('.')}: ${i.message}`);
    throw new FlashError('BOARD', `board '${id}' has an invalid "flash" section: ${problems.join('; ')}`);
  }
  return { board, flash: parsed.data };
}
