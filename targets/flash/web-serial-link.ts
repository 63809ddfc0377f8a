// The host side of a serial line over the Web Serial API (`navigator.serial.requestPort()` in Chromium): the
// SerialTransport the playground flashes through, with the same protocol code as the CLI. The port's readable
// stream feeds the received-bytes queue; Web Serial cannot change the baud of an open port, so a baud change
// closes and reopens it at the new rate (as esptool-js does).
import { FlashError } from './flash-error.ts';
import { portClosed, QueuedLink } from './queued-link.ts';
import type { LineState, SerialMode } from './serial-transport.ts';

/** The part of Web Serial's SerialPort this uses. */
export interface WebSerialPort {
  open(options: { baudRate: number; dataBits?: number; stopBits?: number; parity?: 'none' | 'even' | 'odd'; bufferSize?: number }): Promise<void>;
  close(): Promise<void>;
  readonly readable: ReadableStream<Uint8Array> | null;
  readonly writable: WritableStream<Uint8Array> | null;
  setSignals(signals: { dataTerminalReady?: boolean; requestToSend?: boolean; break?: boolean }): Promise<void>;
}

export interface WebSerialLinkOptions {
  baudRate: number;
  serialMode: SerialMode;
  /** How messages name the port (Web Serial ports have no path). */
  name?: string;
}

export class WebSerialLink extends QueuedLink {
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  private pumping: Promise<void> | undefined;
  private closedByUs = false;

  private constructor(
    private readonly port: WebSerialPort,
    readonly path: string,
    public baudRate: number,
    private readonly serialMode: SerialMode,
  ) {
    super();
  }

  static async open(port: WebSerialPort, options: WebSerialLinkOptions): Promise<WebSerialLink> {
    const link = new WebSerialLink(port, options.name ?? 'the Web Serial port', options.baudRate, options.serialMode);
    await link.openAt(options.baudRate);
    return link;
  }

  private async openAt(baudRate: number): Promise<void> {
    try {
      await this.port.open({ baudRate, dataBits: 8, stopBits: 1, parity: this.serialMode === '8e1' ? 'even' : 'none', bufferSize: 64 * 1024 });
    } catch (err) {
      throw new FlashError('PORT_OPEN', `cannot open ${this.path}: ${(err as Error).message}; is it in use by another tab or program?`);
    }
    this.baudRate = baudRate;
    this.pumping = this.pump();
  }

  /** Moves received bytes into the queue until the port closes; a close we did not ask for fails pending reads. */
  private async pump(): Promise<void> {
    const readable = this.port.readable;
    if (!readable) return;
    const reader = readable.getReader();
    this.reader = reader;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (value && value.length) this.received(value);
      }
      if (!this.closedByUs && this.reader === reader) this.rx.fail(portClosed(this.path, 'the stream ended'));
    } catch (err) {
      if (!this.closedByUs && this.reader === reader) this.rx.fail(portClosed(this.path, (err as Error).message));
    } finally {
      reader.releaseLock();
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.rx.failed) throw this.rx.failed;
    const writable = this.port.writable;
    if (!writable) throw portClosed(this.path, 'it is not writable');
    this.stats.bytesSent += bytes.length;
    const writer = writable.getWriter();
    try {
      await writer.write(bytes);
    } catch (err) {
      throw portClosed(this.path, (err as Error).message);
    } finally {
      writer.releaseLock();
    }
  }

  async setLines(lines: LineState): Promise<void> {
    if (this.rx.failed) throw this.rx.failed;
    try {
      await this.port.setSignals({
        ...(lines.dtr !== undefined ? { dataTerminalReady: lines.dtr } : {}),
        ...(lines.rts !== undefined ? { requestToSend: lines.rts } : {}),
      });
    } catch (err) {
      throw new FlashError('PORT_OPEN', `cannot set DTR/RTS on ${this.path} (${(err as Error).message}); this port has no modem lines: choose the reset mode 'none' and enter the bootloader by hand`);
    }
  }

  async setBaudRate(baudRate: number): Promise<void> {
    await this.stopReading();
    await this.port.close();
    await this.openAt(baudRate);
  }

  private async stopReading(): Promise<void> {
    const reader = this.reader;
    this.reader = undefined;
    await reader?.cancel().catch(() => {});
    await this.pumping;
  }

  async close(): Promise<void> {
    this.closedByUs = true;
    await this.stopReading();
    await this.port.close().catch(() => {});
  }
}
