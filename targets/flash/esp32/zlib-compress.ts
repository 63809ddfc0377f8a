// zlib-format deflate at level 9, what FLASH_DEFL_DATA carries (the ROM inflates it): Node's zlib here, the
// `fflate` package in the page's bundle (zlib-compress.browser.ts).
import { deflateSync } from 'node:zlib';

export function zlibCompress(bytes: Uint8Array): Uint8Array {
  const out = deflateSync(bytes, { level: 9 });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
