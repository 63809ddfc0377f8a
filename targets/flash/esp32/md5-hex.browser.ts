// MD5 as lowercase hex in a browser (Web Crypto has no MD5): the `js-md5` package, same digest as the Node twin.
import { md5 } from 'js-md5';

export function md5Hex(bytes: Uint8Array): string {
  return md5.hex(bytes);
}
