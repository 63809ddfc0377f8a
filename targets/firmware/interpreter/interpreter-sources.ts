// The model blob interpreter's C (tf_blob.c and the generated kernel table) and every C kernel it can call:
// what a slot firmware links once, whatever model its slots hold.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { C_KERNELS_DIR } from '../model-firmware.ts';

export const INTERPRETER_DIR = dirname(fileURLToPath(import.meta.url));
const COMMON_DIR = join(INTERPRETER_DIR, '..', 'common');

/** The interpreter, the CRC-32 it checks blobs with, and all kernels (their shared tf_* helpers included). */
export function interpreterSources(): string[] {
  const kernels = readdirSync(C_KERNELS_DIR).filter((f) => f.endsWith('.c')).sort().map((f) => join(C_KERNELS_DIR, f));
  return [join(INTERPRETER_DIR, 'tf_blob.c'), join(INTERPRETER_DIR, 'tf_kernel_table.c'), ...kernels];
}

/** Headers the interpreter includes: its own, the kernels' and common/ (crc32.h, profile-markers.h). */
export const INTERPRETER_INCLUDE_DIRS: readonly string[] = [INTERPRETER_DIR, C_KERNELS_DIR, COMMON_DIR];

/** common/ files the interpreter needs outside a firmware build (the firmware links them anyway). */
export const INTERPRETER_HOST_SOURCES: readonly string[] = [join(COMMON_DIR, 'crc32.c')];
