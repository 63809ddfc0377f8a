// What every simulated device shares: a receive queue fed by the host (through an optional fault injector),
// an output towards the host, modem lines, and a reset that aborts whatever the device was doing.
import { ByteQueue } from '../byte-queue.ts';
import type { LineState } from '../serial-transport.ts';
import { FaultInjector, type Fault } from './fault-injector.ts';

/** Thrown into the device's serve loop when the chip is reset, so a half-handled command is abandoned. */
export class DeviceReset extends Error {
  override readonly name = 'DeviceReset';
}

export interface DeviceConnection {
  toHost(bytes: Uint8Array): void;
  /** The wire is cut (fault injection): the transport must make the host side see the port vanish. */
  disconnect(): void;
}

export abstract class SimDevice {
  protected rx = new ByteQueue();
  private connection: DeviceConnection | undefined;
  private injector: FaultInjector | undefined;
  private stopped = false;
  protected lines: Required<LineState> = { dtr: false, rts: false };
  /** Baud the host side is set to; undefined on transports that do not model baud (a pty). */
  protected hostBaud: number | undefined;

  constructor() {
    queueMicrotask(() => void this.serveForever());
  }

  connect(connection: DeviceConnection | undefined): void {
    this.connection = connection;
  }

  /** Installs a fault plan (or removes it with undefined); byte and command counts restart at zero. */
  setFaults(faults: readonly Fault[] | undefined): FaultInjector | undefined {
    this.injector?.dispose();
    this.injector = faults ? new FaultInjector(faults, () => this.cutWire()) : undefined;
    return this.injector;
  }

  get faults(): FaultInjector | undefined {
    return this.injector;
  }

  /**
   * Time the serial line needs for what crossed it, both ways (the loader protocols are half duplex):
   * 10 bits per byte (8N1) at the rate in force. Device erase/program time and USB latency are not in it.
   */
  readonly line = { bytesToDevice: 0, bytesToHost: 0, seconds: 0 };

  private account(bytes: number, toDevice: boolean): void {
    if (toDevice) this.line.bytesToDevice += bytes;
    else this.line.bytesToHost += bytes;
    this.line.seconds += (bytes * 10) / (this.deviceBaud() ?? this.hostBaud ?? 115200);
  }

  receive(bytes: Uint8Array): void {
    this.account(bytes.length, true);
    const take = (b: Uint8Array) => this.rx.push(this.garbleIfBaudMismatch(b));
    if (this.injector) this.injector.pass('toDevice', bytes, take);
    else take(bytes);
  }

  protected send(bytes: Uint8Array): void {
    this.account(bytes.length, false);
    const out = (b: Uint8Array) => this.connection?.toHost(this.garbleIfBaudMismatch(b));
    if (this.injector) this.injector.pass('toHost', bytes, out);
    else out(bytes);
  }

  /** Called by transports and by the fault injector's disconnect fault. */
  cutWire(): void {
    this.connection?.disconnect();
  }

  setLines(lines: LineState): void {
    const before = { ...this.lines };
    if (lines.dtr !== undefined) this.lines.dtr = lines.dtr;
    if (lines.rts !== undefined) this.lines.rts = lines.rts;
    if (before.dtr !== this.lines.dtr || before.rts !== this.lines.rts) this.onLines(before);
  }

  setHostBaud(baud: number): void {
    this.hostBaud = baud;
  }

  /** The device's own baud when it differs from the host's: bytes are garbled both ways, as on a real line. */
  protected deviceBaud(): number | undefined {
    return undefined;
  }

  private garbleIfBaudMismatch(b: Uint8Array): Uint8Array {
    const own = this.deviceBaud();
    if (own === undefined || this.hostBaud === undefined || own === this.hostBaud) return b;
    return b.map((x) => (x * 7 + 0x35) & 0xff);
  }

  protected onLines(_before: Required<LineState>): void {}

  /** Aborts the current command: the serve loop restarts from the device's power-on state. */
  protected resetChip(): void {
    const old = this.rx;
    this.rx = new ByteQueue();
    old.fail(new DeviceReset());
  }

  stop(): void {
    this.stopped = true;
    this.injector?.dispose();
    this.rx.fail(new DeviceReset('stopped'));
  }

  protected abstract serve(): Promise<void>;

  private async serveForever(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.serve();
      } catch (err) {
        if (!(err instanceof DeviceReset)) throw err;
      }
    }
  }

  /** "Forever" for a device waiting on its UART. */
  protected static readonly FOREVER = 2 ** 30;
}
