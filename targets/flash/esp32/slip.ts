// SLIP framing (RFC 1055) as Espressif's serial protocol uses it: every packet between two 0xC0 bytes,
// 0xC0 → DB DC and 0xDB → DB DD inside.
export const END = 0xc0;
export const ESC = 0xdb;
export const ESC_END = 0xdc;
export const ESC_ESC = 0xdd;

export function slipEncode(packet: Uint8Array): Uint8Array {
  let extra = 0;
  for (const b of packet) if (b === END || b === ESC) extra++;
  const out = new Uint8Array(packet.length + extra + 2);
  let o = 0;
  out[o++] = END;
  for (const b of packet) {
    if (b === END) {
      out[o++] = ESC;
      out[o++] = ESC_END;
    } else if (b === ESC) {
      out[o++] = ESC;
      out[o++] = ESC_ESC;
    } else out[o++] = b;
  }
  out[o] = END;
  return out;
}

/**
 * Incremental decoder: feed bytes as they arrive, get whole packets back. Bytes outside a frame (boot log
 * text) are ignored; a frame with a bad escape is dropped, as the ROM drops it.
 */
export class SlipDecoder {
  private frame: number[] | undefined;
  private escaped = false;
  private bad = false;

  push(bytes: Uint8Array): Uint8Array[] {
    const packets: Uint8Array[] = [];
    for (const b of bytes) {
      if (b === END) {
        if (this.frame && this.frame.length > 0 && !this.bad && !this.escaped) packets.push(Uint8Array.from(this.frame));
        // An END both closes a frame and may open the next one; empty frames are just separators.
        this.frame = [];
        this.escaped = false;
        this.bad = false;
        continue;
      }
      if (!this.frame) continue;
      if (this.escaped) {
        if (b === ESC_END) this.frame.push(END);
        else if (b === ESC_ESC) this.frame.push(ESC);
        else this.bad = true;
        this.escaped = false;
      } else if (b === ESC) this.escaped = true;
      else this.frame.push(b);
    }
    return packets;
  }

  reset(): void {
    this.frame = undefined;
    this.escaped = false;
    this.bad = false;
  }
}
