// The host side of a serial line over Node's `serialport` (the SerialTransport the CLI flashes through): exact-length reads with timeouts, writes,
// DTR/RTS, baud changes, and byte counters (the bench derives wire efficiency from them). Works over the real
// serialport binding or any other BindingInterface (the simulator's in-process binding).
import type { BindingInterface } from '@serialport/bindings-cpp';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import { FlashError } from './flash-error.ts';
import { portClosed, QueuedLink } from './queued-link.ts';

import type { LineState, SerialMode } from './serial-transport.ts';

export type { LineState, LinkStats, SerialMode, SerialTransport } from './serial-transport.ts';

export interface SerialLinkOptions {
  path: string;
  baudRate: number;
  serialMode: SerialMode;
  /** Defaults to the native binding; tests pass the simulator's in-process binding. */
  binding?: BindingInterface;
}

export class SerialLink extends QueuedLink {
  private closedByUs = false;

  private constructor(
    private readonly port: SerialPortStream,
    readonly path: string,
    public baudRate: number,
  ) {
    super();
    port.on('data', (chunk: Buffer) => this.received(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    const lost = (why: string) => {
      if (!this.closedByUs) this.rx.fail(portClosed(path, why));
    };
    port.on('error', (err: Error) => lost(err.message));
    port.on('close', (err?: Error | null) => lost(err?.message ?? 'closed'));
  }

  static async open(options: SerialLinkOptions): Promise<SerialLink> {
    const port = new SerialPortStream({
      binding: options.binding ?? (SerialPort.binding as BindingInterface),
      path: options.path,
      baudRate: options.baudRate,
      dataBits: 8,
      stopBits: 1,
      parity: options.serialMode === '8e1' ? 'even' : 'none',
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (!err) return resolve();
        const msg = err.message;
        let hint = 'check the --port path (`tinyforge ports` lists them)';
        if (/EACCES|permission/i.test(msg)) hint = 'no permission: add yourself to the dialout group (sudo usermod -aG dialout $USER) and log in again';
        else if (/EBUSY|lock/i.test(msg)) hint = 'the port is in use by another program (a serial monitor?): close it';
        else if (/parity|Inappropriate ioctl|EINVAL/i.test(msg) && options.serialMode === '8e1')
          hint = 'this port cannot do even parity (a pseudo-terminal or some adapters): try --serial-mode 8n1';
        reject(new FlashError('PORT_OPEN', `cannot open ${options.path}: ${msg}; ${hint}`));
      });
    });
    return new SerialLink(port, options.path, options.baudRate);
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.rx.failed) throw this.rx.failed;
    this.stats.bytesSent += bytes.length;
    await new Promise<void>((resolve, reject) => {
      this.port.write(Buffer.from(bytes), (err) => (err ? reject(portClosed(this.path, err.message)) : resolve()));
    });
  }

  async setLines(lines: LineState): Promise<void> {
    if (this.rx.failed) throw this.rx.failed;
    await new Promise<void>((resolve, reject) => {
      this.port.set(lines, (err) =>
        err
          ? reject(this.rx.failed ?? 
              new FlashError(
                'PORT_OPEN',
                `cannot set DTR/RTS on ${this.path} (${err.message}); this port has no modem lines: use --reset-mode none and enter the bootloader by hand`,
              ),
            )
          : resolve(),
      );
    });
  }

  async setBaudRate(baudRate: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.port.update({ baudRate }, (err) =>
        err ? reject(new FlashError('PORT_OPEN', `cannot switch ${this.path} to ${baudRate} baud: ${err.message}`)) : resolve(),
      );
    });
    this.baudRate = baudRate;
  }

  async close(): Promise<void> {
    this.closedByUs = true;
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}
