// A conversation with running tinyforge firmware over any byte link (a serial port, QEMU's emulated UART): one
// request frame out, one response frame back, with the timeout and the resynchronisation in one place. The frames
// are serial-frames.ts's; the commands are typed here (INFO, INVOKE, STATS, QUIT).
import { ReadTimeout } from '../flash/byte-queue.ts';
import type { SerialTransport } from '../flash/serial-transport.ts';
import { COMMAND, encodeRequest, FrameReadError, readResponseFrame, STATUS_TEXT, type Response } from '../qemu/serial-frames.ts';

export class DeviceSessionError extends Error {
  override name = 'DeviceSessionError';
}

export interface DeviceInfo {
  inputBytes: number;
  outputBytes: number;
  arenaBytes: number;
  modelName: string;
}

export interface DeviceInference {
  /** The board's cycle counter across the inference (0 where it has none, as under QEMU on Cortex-M). */
  cycles: number;
  stackBytes: number;
  output: Uint8Array;
}

const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);

export class FirmwareSession {
  constructor(
    private readonly link: Pick<SerialTransport, 'write' | 'readByte' | 'read' | 'path'>,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Sends one request and reads the next response frame; bytes before its "TFR" (boot text, noise) are skipped. */
  async request(cmd: number, payload?: Uint8Array, timeoutMs = this.timeoutMs): Promise<Response> {
    await this.link.write(encodeRequest(cmd, payload));
    try {
      return await readResponseFrame(this.link, timeoutMs, 16 << 20);
    } catch (err) {
      if (err instanceof FrameReadError && err.kind === 'too-long') throw new DeviceSessionError(`${this.link.path}: the device announced a ${err.announcedBytes}-byte answer; the link is out of step (is tinyforge firmware running there?)`);
      if (err instanceof FrameReadError) throw new DeviceSessionError(`${this.link.path}: the device's answer to '${String.fromCharCode(cmd)}' failed its checksum (line noise or a wrong baud rate)`);
      if (err instanceof ReadTimeout) {
        throw new DeviceSessionError(`${this.link.path}: no answer from the device within ${timeoutMs / 1000} s to '${String.fromCharCode(cmd)}' (is tinyforge firmware running there, at this baud rate?)`);
      }
      throw err;
    }
  }

  private async ok(cmd: number, payload?: Uint8Array, timeoutMs?: number): Promise<Uint8Array> {
    const r = await this.request(cmd, payload, timeoutMs);
    if (r.status !== 0) {
      const why = r.status & 0x80 ? `the model's invoke returned ${r.status & 0x7f}` : STATUS_TEXT[r.status] ?? `status ${r.status}`;
      throw new DeviceSessionError(`${this.link.path}: '${String.fromCharCode(cmd)}' failed on the device: ${why}`);
    }
    return r.payload;
  }

  async info(timeoutMs?: number): Promise<DeviceInfo> {
    const p = await this.ok(COMMAND.info, undefined, timeoutMs);
    if (p.length < 12) throw new DeviceSessionError(`${this.link.path}: INFO answered ${p.length} bytes, expected at least 12`);
    return { inputBytes: u32(p, 0), outputBytes: u32(p, 4), arenaBytes: u32(p, 8), modelName: Buffer.from(p.subarray(12)).toString('latin1') };
  }

  async invoke(input: Uint8Array): Promise<DeviceInference> {
    const p = await this.ok(COMMAND.invoke, input);
    if (p.length < 8) throw new DeviceSessionError(`${this.link.path}: INVOKE answered ${p.length} bytes, expected at least 8`);
    return { cycles: u32(p, 0), stackBytes: u32(p, 4), output: p.slice(8) };
  }

  /** The firmware's STATS record (decoded by formats/input-stats); `reset` clears it after reading. */
  async stats(reset = false): Promise<Uint8Array> {
    return this.ok(COMMAND.stats, new Uint8Array([reset ? 1 : 0]));
  }

  async quit(code = 0): Promise<void> {
    await this.ok(COMMAND.quit, new Uint8Array([code]));
  }
}
