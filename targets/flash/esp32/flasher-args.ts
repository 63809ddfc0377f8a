// ESP-IDF's `build/flasher_args.json` (written by `idf.py build`, read by `idf.py flash`): which files go at
// which flash offsets (`flash_files`, with `bootloader`, `partition-table` and `app` also named), the flash
// settings, and the chip. Paths in it are relative to the build folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FlashError, hex32 } from '../flash-error.ts';
import type { Esp32Image } from './flash-esp32.ts';
import type { FlashParams } from './image-flash-params.ts';

const offset = z.string().regex(/^(0x[0-9a-f]+|\d+)$/i, 'an offset like 0x1000');
const namedFile = z.object({ offset, file: z.string().min(1) }).loose();

const FlasherArgsSchema = z
  .object({
    flash_settings: z.object({ flash_mode: z.string(), flash_size: z.string(), flash_freq: z.string() }).loose(),
    flash_files: z.record(offset, z.string().min(1)).refine((f) => Object.keys(f).length > 0, 'no files listed'),
    bootloader: namedFile.optional(),
    'partition-table': namedFile.optional(),
    app: namedFile.optional(),
    extra_esptool_args: z.object({ chip: z.string().optional() }).loose().optional(),
  })
  .loose();

export interface IdfBuild {
  images: Esp32Image[];
  params: FlashParams;
  /** esptool's chip name ('esp32', 'esp32s3'...), when the file says. */
  chip: string | undefined;
  /** Offset of `bootloader`, whose header carries the flash parameters. */
  bootloaderOffset: number | undefined;
}

export function parseOffset(text: string): number {
  return text.toLowerCase().startsWith('0x') ? parseInt(text, 16) : parseInt(text, 10);
}

export function loadIdfBuild(buildDir: string): IdfBuild {
  const path = join(buildDir, 'flasher_args.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found (run `idf.py build` first, or pass an image file)' : (err as Error).message;
    throw new FlashError('IMAGE', `${path}: ${why}`);
  }
  const parsed = FlasherArgsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new FlashError('IMAGE', `${path} is not an ESP-IDF flasher_args.json: ${problems.join('; ')}`);
  }
  const args = parsed.data;
  const images = Object.entries(args.flash_files)
    .map(([at, file]) => ({ address: parseOffset(at), name: file, bytes: readBinary(join(buildDir, file)) }))
    .sort((a, b) => a.address - b.address);
  for (const part of ['bootloader', 'partition-table', 'app'] as const) {
    const named = args[part];
    if (named && !images.some((i) => i.address === parseOffset(named.offset) && i.name === named.file))
      throw new FlashError('IMAGE', `${path}: "${part}" (${named.file} at ${hex32(parseOffset(named.offset))}) is missing from "flash_files"`);
  }
  const s = args.flash_settings;
  return {
    images,
    params: { mode: s.flash_mode, size: s.flash_size, freq: s.flash_freq },
    chip: args.extra_esptool_args?.chip,
    bootloaderOffset: args.bootloader ? parseOffset(args.bootloader.offset) : undefined,
  };
}

export function readBinary(path: string): Uint8Array {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (err) {
    throw new FlashError('IMAGE', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (file.length === 0) throw new FlashError('IMAGE', `${path} is empty`);
  return new Uint8Array(file.buffer, file.byteOffset, file.length);
}
