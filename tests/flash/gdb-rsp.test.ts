// The GDB Remote Serial Protocol codec and the client's one retry path, against a scripted stub on a real
// TCP socket: framing and checksums as the GDB manual's examples give them, escaping, run-length replies,
// a packet the stub NAKs, and a reply that arrives with a bad checksum.
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { GdbRemote } from '../../targets/flash/gdb/gdb-remote-client.ts';
import { parseMemoryMap } from '../../targets/flash/gdb/memory-map.ts';
import { encodePacket, escapeBinary, RspDecoder, unescapeBinary } from '../../targets/flash/gdb/rsp-codec.ts';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('RSP codec', () => {
  it('frames with the modulo-256 checksum', () => {
    expect(text(encodePacket(Buffer.from('qSupported')))).toBe('$qSupported#37');
    expect(text(encodePacket(Buffer.from('?')))).toBe('$?#3f');
    expect(text(encodePacket(new Uint8Array(0)))).toBe('$#00');
  });

  it('escapes $ # } * in binary data and undoes it', () => {
    const raw = Uint8Array.from([0x24, 0x23, 0x7d, 0x2a, 0x41]);
    expect([...escapeBinary(raw)]).toEqual([0x7d, 0x04, 0x7d, 0x03, 0x7d, 0x5d, 0x7d, 0x0a, 0x41]);
    expect([...unescapeBinary(escapeBinary(raw))]).toEqual([...raw]);
  });

  it('decodes acks, packets split anywhere, run-length replies, and flags a bad checksum', () => {
    const d = new RspDecoder();
    const events = [...d.push(Buffer.from('+$O')), ...d.push(Buffer.from('K#9a-$0* #')), ...d.push(Buffer.from('00$x#00'))];
    expect(events.map((e) => e.kind)).toEqual(['ack', 'packet', 'nak', 'packet', 'packet']);
    const [, ok, , rle, bad] = events as { payload: Uint8Array; checksumOk: boolean }[];
    expect([text(ok!.payload), ok!.checksumOk]).toEqual(['OK', true]);
    expect(text(rle!.payload)).toBe('0000'); // '0* ': '0' and 32 - 29 = 3 more
    expect(bad!.checksumOk).toBe(false);
  });

  it('reads a memory map with flash blocks', () => {
    const map = parseMemoryMap('<memory-map><memory type="flash" start="0x08000000" length="0x20000"><property name="blocksize">0x800</property></memory><memory type="ram" start="0x20000000" length="0x5000"/></memory-map>');
    expect(map).toEqual([{ type: 'flash', start: 0x0800_0000, length: 0x20000, blockSize: 0x800 }, { type: 'ram', start: 0x2000_0000, length: 0x5000 }]);
  });
});

describe('GdbRemote retries', () => {
  it('resends a packet the stub NAKs and asks again for a reply that arrived damaged', async () => {
    const seen: string[] = [];
    let naked = false;
    let damaged = false;
    const server = createServer((s: Socket) => {
      const d = new RspDecoder();
      s.on('data', (b) => {
        for (const ev of d.push(new Uint8Array(b))) {
          if (ev.kind === 'nak') {
            s.write(encodePacket(Buffer.from('0102'))); // the client wants the reply again
            continue;
          }
          if (ev.kind !== 'packet') continue;
          seen.push(text(ev.payload));
          if (!naked) {
            naked = true;
            s.write('-');
            continue;
          }
          s.write('+');
          if (!damaged) {
            damaged = true;
            s.write('$0102#00'); // wrong checksum
          } else s.write(encodePacket(Buffer.from('0102')));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const gdb = await GdbRemote.connect('127.0.0.1', port, { timeoutMs: 2_000 });
    try {
      expect([...(await gdb.readMemory(0x2000_0000, 2))]).toEqual([1, 2]);
      expect(seen).toEqual(['m20000000,2', 'm20000000,2']); // sent twice: once NAKed, once accepted
    } finally {
      gdb.close();
      server.close();
    }
  });

  it('times out with the request named when the stub never answers', async () => {
    const server = createServer((s) => s.on('data', () => s.write('+')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const gdb = await GdbRemote.connect('127.0.0.1', port, { timeoutMs: 300, name: 'the silent stub' });
    try {
      await expect(gdb.readMemory(0, 4)).rejects.toThrow("the silent stub did not answer 'read 4 bytes at 0x00000000' within 300 ms");
    } finally {
      gdb.close();
      server.close();
    }
  });
});
