// The host side of the firmware's framed serial protocol.
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COMMAND, encodeRequest, parseResponses, SerialProtocolError } from '../../targets/qemu/serial-frames.ts';

function response(status: number, payload: number[]): Uint8Array {
  const body = new Uint8Array([status, payload.length, 0, 0, 0, ...payload]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(body));
  return new Uint8Array([0x54, 0x46, 0x52, ...body, ...crc]);
}

describe('serial frames', () => {
  it('encodes a request as TFQ, command, little-endian length, payload, CRC-32 of the body', () => {
    const frame = encodeRequest(COMMAND.invoke, new Uint8Array([1, 2, 3]));
    expect([...frame.subarray(0, 11)]).toEqual([0x54, 0x46, 0x51, 0x49, 3, 0, 0, 0, 1, 2, 3]);
    expect(Buffer.from(frame.subarray(11)).readUInt32LE()).toBe(crc32(frame.subarray(3, 11)));
  });

  it('splits boot text from the frames that follow the ready line', () => {
    const bytes = Buffer.concat([Buffer.from('banner\nselftest: 1/1 pass\nTF-READY\n'), response(0, [9, 8]), response(2, [])]);
    const { text, responses } = parseResponses(new Uint8Array(bytes), 'TF-READY\n');
    expect(text).toBe('banner\nselftest: 1/1 pass\nTF-READY\n');
    expect(responses).toEqual([
      { status: 0, payload: new Uint8Array([9, 8]) },
      { status: 2, payload: new Uint8Array([]) },
    ]);
  });

  it('stops at the trailer the board prints before it exits', () => {
    const bytes = Buffer.concat([Buffer.from('TF-READY\n'), response(0, [5]), Buffer.from('\nTF-END ....\n')]);
    expect(parseResponses(new Uint8Array(bytes), 'TF-READY\n').responses).toEqual([{ status: 0, payload: new Uint8Array([5]) }]);
  });

  it('returns no frames when the board never got ready', () => {
    expect(parseResponses(new Uint8Array(Buffer.from('FAULT: the core took an exception\n')), 'TF-READY\n').responses).toEqual([]);
  });

  it('rejects a corrupted frame by its checksum', () => {
    const frame = response(0, [1, 2, 3]);
    frame[9] ^= 0xff;
    const bytes = Buffer.concat([Buffer.from('TF-READY\n'), frame]);
    expect(() => parseResponses(new Uint8Array(bytes), 'TF-READY\n')).toThrow(SerialProtocolError);
  });
});
