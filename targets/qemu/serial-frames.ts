// Host side of the firmware's framed serial protocol (the board side is targets/firmware/common/serial-protocol.c).
//   request:  "TFQ" cmd    len:u32le payload crc32:u32le
//   response: "TFR" status len:u32le payload crc32:u32le      (crc over cmd|status, len, payload)
import { crc32 } from '../../lib/crc32.ts';

export const COMMAND = { info: 0x4d, invoke: 0x49, quit: 0x51, stats: 0x53 } as const;
export const STATUS_TEXT: Record<number, string> = {
  0: 'ok',
  1: 'the board saw a bad checksum',
  2: 'the input has the wrong length for this model',
  3: 'the board does not know the command',
};

export class SerialProtocolError extends Error {
  override name = 'SerialProtocolError';
}

function u32le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}

export function encodeRequest(cmd: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = new Uint8Array(5 + payload.length);
  body[0] = cmd;
  body.set(u32le(payload.length), 1);
  body.set(payload, 5);
  const out = new Uint8Array(3 + body.length + 4);
  out.set([0x54, 0x46, 0x51], 0); // "TFQ"
  out.set(body, 3);
  out.set(u32le(crc32(body)), 3 + body.length);
  return out;
}

export interface Response {
  status: number;
  payload: Uint8Array;
}

/** A response frame read from a live link that cannot be trusted: a length past the caller's bound, or a bad CRC. */
export class FrameReadError extends Error {
  override name = 'FrameReadError';
  constructor(
    readonly kind: 'too-long' | 'bad-crc',
    readonly announcedBytes: number,
  ) {
    super(kind === 'too-long' ? `answer announces ${announcedBytes} B` : 'answer frame with a bad checksum');
  }
}

/** The reads a live frame needs (a SerialTransport has them); each throws the link's own error on timeout. */
export interface FrameSource {
  read(n: number, timeoutMs: number): Promise<Uint8Array>;
  readByte(timeoutMs: number): Promise<number>;
}

/**
 * Reads the next response frame from a live link within `timeoutMs`: bytes before its "TFR" (boot text, noise) are
 * skipped, a payload longer than `maxPayload` or a bad CRC is a FrameReadError, a silent link the link's timeout.
 */
export async function readResponseFrame(link: FrameSource, timeoutMs: number, maxPayload: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  let matched = 0;
  const sync = [0x54, 0x46, 0x52];
  while (matched < 3) {
    const b = await link.readByte(left());
    matched = b === sync[matched] ? matched + 1 : b === sync[0] ? 1 : 0;
  }
  const head = await link.read(5, left());
  const len = new DataView(head.buffer, head.byteOffset, 5).getUint32(1, true);
  if (len > maxPayload) throw new FrameReadError('too-long', len);
  const rest = await link.read(len + 4, left());
  const body = new Uint8Array(5 + len);
  body.set(head, 0);
  body.set(rest.subarray(0, len), 5);
  if (new DataView(rest.buffer, rest.byteOffset + len, 4).getUint32(0, true) !== crc32(body)) throw new FrameReadError('bad-crc', len);
  return { status: head[0]!, payload: rest.slice(0, len) };
}

/** Bytes as text, one character per byte (latin1; a WHATWG TextDecoder would read 0x80–0x9f as windows-1252). */
function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

/**
 * Splits a board's output into the text it printed before its first frame and the frames that follow.
 * `after` is a text marker (e.g. "TF-READY\n") the frames come after; text before it may contain anything.
 */
export function parseResponses(bytes: Uint8Array, after: string): { text: string; responses: Response[] } {
  const start = latin1(bytes).indexOf(after);
  if (start < 0) {
    return { text: latin1(bytes), responses: [] };
  }
  const text = latin1(bytes.subarray(0, start + after.length));
  const responses: Response[] = [];
  let p = start + after.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  while (p + 12 <= bytes.length) {
    if (latin1(bytes.subarray(p, p + 7)) === '\nTF-END') break; // the board's trailer
    if (bytes[p] !== 0x54 || bytes[p + 1] !== 0x46 || bytes[p + 2] !== 0x52) {
      throw new SerialProtocolError(`expected a response frame "TFR" at byte ${p}, got ${latin1(bytes.subarray(p, p + 16))}`);
    }
    const len = view.getUint32(p + 4, true);
    if (p + 8 + len + 4 > bytes.length) break;
    const body = bytes.subarray(p + 3, p + 8 + len);
    const crc = view.getUint32(p + 8 + len, true);
    if (crc !== crc32(body)) throw new SerialProtocolError(`response frame at byte ${p}: checksum mismatch`);
    responses.push({ status: bytes[p + 3], payload: bytes.slice(p + 8, p + 8 + len) });
    p += 12 + len;
  }
  return { text, responses };
}
