// Byte-level framing of ST's USART bootloader protocol (AN3155): one place for the constants, the
// command/complement pairs and the XOR checksums that every command uses.
export const INIT = 0x7f;
export const ACK = 0x79;
export const NACK = 0x1f;

export const Command = {
  get: 0x00,
  getVersion: 0x01,
  getId: 0x02,
  readMemory: 0x11,
  go: 0x21,
  writeMemory: 0x31,
  erase: 0x43,
  extendedErase: 0x44,
  writeProtect: 0x63,
  writeUnprotect: 0x73,
  readoutProtect: 0x82,
  readoutUnprotect: 0x92,
} as const;

export type CommandCode = (typeof Command)[keyof typeof Command];

/** Largest payload of one Read/Write Memory command. */
export const MAX_BLOCK = 256;

export function xorChecksum(bytes: ArrayLike<number>, seed = 0): number {
  let x = seed;
  for (let i = 0; i < bytes.length; i++) x ^= bytes[i]!;
  return x & 0xff;
}

/** A command byte followed by its complement. */
export function commandFrame(code: number): Uint8Array {
  return Uint8Array.of(code, code ^ 0xff);
}

/** A 32-bit address, big-endian, followed by the XOR of its four bytes. */
export function addressFrame(address: number): Uint8Array {
  const a = Uint8Array.of(address >>> 24, (address >>> 16) & 0xff, (address >>> 8) & 0xff, address & 0xff);
  return Uint8Array.of(...a, xorChecksum(a));
}

/** Write Memory payload: N-1, the N bytes, then the XOR of all of them. */
export function dataFrame(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out[0] = data.length - 1;
  out.set(data, 1);
  out[data.length + 1] = xorChecksum(data, data.length - 1);
  return out;
}

/** Read Memory length: N-1 and its complement. */
export function lengthFrame(n: number): Uint8Array {
  return Uint8Array.of(n - 1, (n - 1) ^ 0xff);
}

/** Erase (0x43) page list: N-1, one byte per page, checksum. */
export function erasePagesFrame(pages: readonly number[]): Uint8Array {
  const body = Uint8Array.of(pages.length - 1, ...pages);
  return Uint8Array.of(...body, xorChecksum(body));
}

/** Extended Erase (0x44) page list: N-1 on two bytes, two bytes per page, checksum over all. */
export function extendedErasePagesFrame(pages: readonly number[]): Uint8Array {
  const body = new Uint8Array(2 + pages.length * 2);
  body[0] = (pages.length - 1) >> 8;
  body[1] = (pages.length - 1) & 0xff;
  pages.forEach((p, i) => {
    body[2 + i * 2] = p >> 8;
    body[3 + i * 2] = p & 0xff;
  });
  return Uint8Array.of(...body, xorChecksum(body));
}

export const GLOBAL_ERASE = Uint8Array.of(0xff, 0x00);
export const EXTENDED_MASS_ERASE = Uint8Array.of(0xff, 0xff, 0x00);

export function readU32BE(b: Uint8Array, at = 0): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
