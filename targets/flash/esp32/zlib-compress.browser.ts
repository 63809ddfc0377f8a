// zlib-format deflate at level 9 in a browser: the `fflate` package (the Node twin uses zlib; the bytes may differ,
// the inflated image does not — the ROM's MD5 of the written flash checks it).
import { zlibSync } from 'fflate';

export function zlibCompress(bytes: Uint8Array): Uint8Array {
  return zlibSync(bytes, { level: 9 });
}
