// Packets of Espressif's ROM serial loader: requests (direction 0x00, opcode, length, checksum, data) and
// responses (direction 0x01, opcode, length, 32-bit value, data ending in status bytes). Little-endian.
export const Op = {
  flashBegin: 0x02,
  flashData: 0x03,
  flashEnd: 0x04,
  memBegin: 0x05,
  memEnd: 0x06,
  memData: 0x07,
  sync: 0x08,
  writeReg: 0x09,
  readReg: 0x0a,
  spiSetParams: 0x0b,
  spiAttach: 0x0d,
  changeBaudrate: 0x0f,
  flashDeflBegin: 0x10,
  flashDeflData: 0x11,
  flashDeflEnd: 0x12,
  spiFlashMd5: 0x13,
  getSecurityInfo: 0x14,
  // Flasher stub only.
  eraseFlash: 0xd0,
  eraseRegion: 0xd1,
  readFlash: 0xd2,
} as const;

/** Error codes the ROM puts in the second status byte. */
export const RomError: Record<number, string> = {
  0x05: 'received message is invalid',
  0x06: 'failed to act on received message',
  0x07: 'invalid CRC in message',
  0x08: 'flash write error',
  0x09: 'flash read error',
  0x0a: 'flash read length error',
  0x0b: 'deflate error',
};

export const CHECKSUM_SEED = 0xef;

/** XOR of the data bytes, seeded with 0xEF: the checksum field of FLASH_DATA / FLASH_DEFL_DATA / MEM_DATA. */
export function dataChecksum(data: Uint8Array): number {
  let x = CHECKSUM_SEED;
  for (const b of data) x ^= b;
  return x;
}

/** The SYNC payload: 07 07 12 20 then 32 × 0x55, which also lets the ROM autodetect the baud rate. */
export const SYNC_PAYLOAD = Uint8Array.of(0x07, 0x07, 0x12, 0x20, ...new Array<number>(32).fill(0x55));

export function words(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint32(i * 4, v >>> 0, true));
  return out;
}

export function readWord(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);
}

export interface Request {
  op: number;
  data: Uint8Array;
  checksum: number;
}

/** Requests and responses share one 8-byte header: direction, op, data length (u16), a u32 word. */
function encodePacket(direction: 0x00 | 0x01, op: number, word: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + data.length);
  const view = new DataView(out.buffer);
  out[0] = direction;
  out[1] = op;
  view.setUint16(2, data.length, true);
  view.setUint32(4, word >>> 0, true);
  out.set(data, 8);
  return out;
}

export function encodeRequest(req: Request): Uint8Array {
  return encodePacket(0x00, req.op, req.checksum, req.data);
}

/** Undefined when the packet is not a well-formed request (the ROM ignores those). */
export function decodeRequest(p: Uint8Array): (Request & { sizeField: number }) | undefined {
  if (p.length < 8 || p[0] !== 0x00) return undefined;
  const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
  return { op: p[1]!, sizeField: view.getUint16(2, true), checksum: view.getUint32(4, true), data: p.slice(8) };
}

export interface Response {
  op: number;
  value: number;
  data: Uint8Array;
}

export function encodeResponse(res: Response): Uint8Array {
  return encodePacket(0x01, res.op, res.value, res.data);
}

export function decodeResponse(p: Uint8Array): Response | undefined {
  if (p.length < 8 || p[0] !== 0x01) return undefined;
  const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const size = view.getUint16(2, true);
  if (p.length !== 8 + size) return undefined;
  return { op: p[1]!, value: view.getUint32(4, true), data: p.slice(8) };
}
