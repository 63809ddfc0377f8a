// The runtime's model blob, version 1 (little-endian). Written by the compiler, read by the runtime loader.
//
//   header (32 B): magic "TFGB", u16 version, u16 header size, u32 total size, u32 CRC-32 of bytes [32, total),
//                  u32 constant bytes, u32 arena bytes, u32 I/O tensor count, u32 step count
//   body:          name; I/O tensors; steps (kernel, op, scratch, counters, pointer args, int32 scalars);
//                  arena placements (tensor, offset, bytes, first/last step)
//   constants:     16-aligned, weights and prepare-computed parameters (what a board keeps in flash)
import type { DType } from '../ir/graph.ts';

export const BLOB_MAGIC = 'TFGB';
export const BLOB_VERSION = 1;
export const BLOB_HEADER_BYTES = 32;
export const BLOB_FILE_EXTENSION = '.tfb';

export const DTYPE_CODES: readonly DType[] = ['int8', 'uint8', 'int16', 'int32', 'int64', 'float32', 'float16', 'bool'];

/** Where a kernel's pointer argument points. */
export enum PointerKind {
  None = 0,
  Arena = 1,
  Const = 2,
}

/**
 * Optional self-test section, after the constants and inside the blob's total size (so the CRC covers it): inputs
 * and the outputs the host's reference runtime gave for them, which a slot firmware checks before it serves a model
 * from flash. Readers that do not know it stop at the end of the constants (the WASM runtime does).
 *   magic "TFST", u32 vector count, u32 input bytes, u32 output bytes, count × input, count × expected output
 */
export const SELFTEST_MAGIC = 'TFST';
export const SELFTEST_HEADER_BYTES = 16;
