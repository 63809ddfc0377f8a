// MD5 as lowercase hex, to compare with the digest the ROM computes over written flash: Node's crypto here, the
// `js-md5` package in the page's bundle (md5-hex.browser.ts).
import { createHash } from 'node:crypto';

export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}
