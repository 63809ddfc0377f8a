// GDB Remote Serial Protocol framing: `$payload#cs` (cs = sum of the payload bytes mod 256, two hex digits),
// `+`/`-` acknowledgements, `}`-escaping of binary data (X, vFlashWrite) and the `*` run-length encoding a
// stub may use in its replies. Everything the client sends or receives passes through this one codec.
const DOLLAR = 0x24;
const HASH = 0x23;
const ESCAPE = 0x7d;
const STAR = 0x2a;

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum = (sum + b) & 0xff;
  return sum;
}

export function encodePacket(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 4);
  out[0] = DOLLAR;
  out.set(payload, 1);
  out[payload.length + 1] = HASH;
  out.set(Buffer.from(checksum(payload).toString(16).padStart(2, '0'), 'latin1'), payload.length + 2);
  return out;
}

/** Binary data inside a packet: `$`, `#`, `}` and `*` become `}` followed by the byte XOR 0x20. */
export function escapeBinary(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const b of data) {
    if (b === DOLLAR || b === HASH || b === ESCAPE || b === STAR) out.push(ESCAPE, b ^ 0x20);
    else out.push(b);
  }
  return Uint8Array.from(out);
}

/** How many bytes of `data` from `start` fit in `room` bytes once escaped. */
export function escapedFit(data: Uint8Array, start: number, room: number): number {
  let used = 0;
  let n = 0;
  for (let i = start; i < data.length; i++) {
    const b = data[i]!;
    const cost = b === DOLLAR || b === HASH || b === ESCAPE || b === STAR ? 2 : 1;
    if (used + cost > room) break;
    used += cost;
    n++;
  }
  return n;
}

export function unescapeBinary(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) out.push(data[i] === ESCAPE ? data[++i]! ^ 0x20 : data[i]!);
  return Uint8Array.from(out);
}

/** `c*N` repeats c (N - 29) more times (N is a printable character). */
function expandRunLength(data: Uint8Array): Uint8Array {
  if (!data.includes(STAR)) return data;
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    if (data[i] === STAR && out.length > 0 && i + 1 < data.length) {
      const repeat = data[++i]! - 29;
      const last = out[out.length - 1]!;
      for (let k = 0; k < repeat; k++) out.push(last);
    } else out.push(data[i]!);
  }
  return Uint8Array.from(out);
}

export type RspEvent = { kind: 'ack' } | { kind: 'nak' } | { kind: 'packet'; payload: Uint8Array; checksumOk: boolean };

/** Turns the byte stream from a stub into acks and packets; noise between packets is dropped. */
export class RspDecoder {
  private pending: number[] = [];
  private inPacket = false;

  push(bytes: Uint8Array): RspEvent[] {
    const events: RspEvent[] = [];
    for (const b of bytes) {
      if (!this.inPacket) {
        if (b === 0x2b) events.push({ kind: 'ack' });
        else if (b === 0x2d) events.push({ kind: 'nak' });
        else if (b === DOLLAR) {
          this.inPacket = true;
          this.pending = [];
        }
        continue;
      }
      this.pending.push(b);
      const n = this.pending.length;
      // Complete once the two checksum digits after `#` have arrived (`#` cannot appear unescaped in a payload).
      if (n >= 3 && this.pending[n - 3] === HASH) {
        const body = Uint8Array.from(this.pending.slice(0, n - 3));
        const sent = parseInt(String.fromCharCode(this.pending[n - 2]!, this.pending[n - 1]!), 16);
        events.push({ kind: 'packet', payload: expandRunLength(body), checksumOk: sent === checksum(body) });
        this.inPacket = false;
        this.pending = [];
      }
    }
    return events;
  }
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function fromHex(text: string): Uint8Array {
  if (!/^([0-9a-fA-F]{2})*$/.test(text)) throw new Error(`not hex: ${JSON.stringify(text.slice(0, 40))}`);
  return new Uint8Array(Buffer.from(text, 'hex'));
}
