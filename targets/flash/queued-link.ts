// What every SerialTransport shares: received bytes land in one queue, reads take exact lengths from it with a
// timeout, and byte counters run both ways. Subclasses (serialport, Web Serial) feed the queue and write.
import { ByteQueue } from './byte-queue.ts';
import { FlashError } from './flash-error.ts';
import type { LineState, LinkStats, SerialTransport } from './serial-transport.ts';

export abstract class QueuedLink implements SerialTransport {
  readonly rx = new ByteQueue();
  readonly stats: LinkStats = { bytesSent: 0, bytesReceived: 0 };
  abstract readonly path: string;
  abstract readonly baudRate: number;

  abstract write(bytes: Uint8Array): Promise<void>;
  abstract setLines(lines: LineState): Promise<void>;
  abstract setBaudRate(baudRate: number): Promise<void>;
  abstract close(): Promise<void>;

  read(n: number, timeoutMs: number): Promise<Uint8Array> {
    return this.rx.read(n, timeoutMs);
  }

  readByte(timeoutMs: number): Promise<number> {
    return this.rx.readByte(timeoutMs);
  }

  discardInput(): void {
    this.rx.clear();
  }

  /** Bytes arrived from the device. */
  protected received(bytes: Uint8Array): void {
    this.stats.bytesReceived += bytes.length;
    this.rx.push(bytes);
  }
}

export function portClosed(path: string, why: string): FlashError {
  return new FlashError('PORT_CLOSED', `the serial port ${path} went away mid-session (${why}): check the cable and run the command again`);
}
