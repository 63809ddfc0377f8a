// Reads a firmware image file for flashing: raw .bin, Intel .hex or .elf (parse-image.ts tells them apart and
// lays them out).
import { readFileSync } from 'node:fs';
import { FlashError } from '../flash-error.ts';
import { parseImage, type FlashImage } from './parse-image.ts';

export type { FlashImage } from './parse-image.ts';

export function loadImage(path: string): FlashImage {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (err) {
    throw new FlashError('IMAGE', `cannot read image ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseImage(new Uint8Array(file.buffer, file.byteOffset, file.length), path);
}
