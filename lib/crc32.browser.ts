// CRC-32 in a browser, where there is no zlib: the `crc-32` package, same polynomial and result as the Node twin
// (crc32.ts; tests/playground/browser-twins.test.ts compares them).
import CRC32 from 'crc-32';

export function crc32(bytes: Uint8Array): number {
  return CRC32.buf(bytes) >>> 0;
}
