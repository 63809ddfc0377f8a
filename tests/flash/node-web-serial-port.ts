// Presents a Node serialport as the Web Serial `SerialPort` object esptool-js expects (open/close, web
// streams, setSignals, getInfo, setBaudRate), so the real esptool-js can talk to the simulated ROM.
import type { BindingInterface } from '@serialport/bindings-cpp';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';

export class NodeWebSerialPort {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  private port: SerialPortStream | undefined;

  constructor(
    private readonly path: string,
    private readonly binding: BindingInterface = SerialPort.binding as BindingInterface,
  ) {}

  async open(options: { baudRate: number }): Promise<void> {
    const port = new SerialPortStream({ binding: this.binding, path: this.path, baudRate: options.baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    this.port = port;
    this.readable = new ReadableStream<Uint8Array>({
      start(controller) {
        port.on('data', (chunk: Buffer) => controller.enqueue(Uint8Array.from(chunk)));
        port.on('close', () => {
          try {
            controller.close();
          } catch {
            // already closed
          }
        });
      },
    });
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) => new Promise<void>((resolve, reject) => port.write(Buffer.from(chunk), (err) => (err ? reject(err) : resolve()))),
    });
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    this.readable = this.writable = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  async setSignals(signals: { dataTerminalReady?: boolean; requestToSend?: boolean; break?: boolean }): Promise<void> {
    const port = this.port;
    if (!port) throw new Error('port not open');
    await new Promise<void>((resolve, reject) =>
      port.set({ dtr: signals.dataTerminalReady, rts: signals.requestToSend, brk: signals.break }, (err) => (err ? reject(err) : resolve())),
    );
  }

  async setBaudRate(baudRate: number): Promise<void> {
    const port = this.port;
    if (!port) throw new Error('port not open');
    await new Promise<void>((resolve, reject) => port.update({ baudRate }, (err) => (err ? reject(err) : resolve())));
  }

  getInfo(): { usbVendorId?: number; usbProductId?: number } {
    return {};
  }
}
