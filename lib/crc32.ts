// CRC-32 (IEEE 802.3, as zlib and the blob header use it), unsigned. Node's zlib computes it natively; the page's
// bundle takes crc32.browser.ts.
import { crc32 as zlibCrc32 } from 'node:zlib';

export function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes) >>> 0;
}
