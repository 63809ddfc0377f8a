// What the flashing protocols need from a serial line, whoever provides it: Node's `serialport` (serial-link.ts,
// the CLI) or the browser's Web Serial (web-serial-link.ts, the playground). Exact-length reads with timeouts
// come from the received-bytes queue; writes, DTR/RTS and baud changes from the port.
import type { ByteQueue } from './byte-queue.ts';

export type SerialMode = '8e1' | '8n1';

export interface LineState {
  dtr?: boolean;
  rts?: boolean;
}

export interface LinkStats {
  bytesSent: number;
  bytesReceived: number;
}

export interface SerialTransport {
  /** The port's name, for messages. */
  readonly path: string;
  readonly baudRate: number;
  /** Bytes received and not yet read. */
  readonly rx: ByteQueue;
  /** Byte counters both ways (the bench derives wire efficiency from them). */
  readonly stats: LinkStats;
  write(bytes: Uint8Array): Promise<void>;
  read(n: number, timeoutMs: number): Promise<Uint8Array>;
  readByte(timeoutMs: number): Promise<number>;
  discardInput(): void;
  setLines(lines: LineState): Promise<void>;
  setBaudRate(baudRate: number): Promise<void>;
  close(): Promise<void>;
}
