// An in-process serialport binding wired straight to simulated devices. Unlike a pseudo-terminal it carries
// DTR/RTS and baud changes to the device, so reset sequences and CHANGE_BAUDRATE can be tested.
import type { BindingInterface, BindingPortInterface, OpenOptions, PortInfo, PortStatus, SetOptions, UpdateOptions } from '@serialport/bindings-cpp';
import { ByteQueue } from '../byte-queue.ts';
import type { SimDevice } from './sim-device.ts';

export class SimBinding implements BindingInterface {
  private readonly devices = new Map<string, SimDevice>();

  attach(path: string, device: SimDevice): void {
    this.devices.set(path, device);
  }

  async list(): Promise<PortInfo[]> {
    return [...this.devices.keys()].map((path) => ({
      path,
      manufacturer: 'tinyforge simulator',
      serialNumber: undefined,
      pnpId: undefined,
      locationId: undefined,
      productId: undefined,
      vendorId: undefined,
    }));
  }

  async open(options: OpenOptions): Promise<BindingPortInterface> {
    const device = this.devices.get(options.path);
    if (!device) throw new Error(`Error: No such file or directory, cannot open ${options.path}`);
    return new SimPort(device, options);
  }
}

function canceled(): Error {
  return Object.assign(new Error('port closed'), { canceled: true });
}

class SimPort implements BindingPortInterface {
  isOpen = true;
  readonly openOptions: Required<OpenOptions>;
  private readonly fromDevice = new ByteQueue();
  private baudRate: number;
  private cut = false;

  constructor(
    private readonly device: SimDevice,
    options: OpenOptions,
  ) {
    this.openOptions = {
      dataBits: 8,
      lock: true,
      stopBits: 1,
      parity: 'none',
      rtscts: false,
      xon: false,
      xoff: false,
      xany: false,
      hupcl: true,
      ...options,
    } as Required<OpenOptions>;
    this.baudRate = options.baudRate;
    device.setHostBaud(options.baudRate);
    device.connect({
      toHost: (bytes) => this.fromDevice.push(bytes),
      disconnect: () => {
        // A non-canceled read error is how a binding tells the stream that the device is gone.
        this.cut = true;
        this.fromDevice.fail(new Error('device disconnected (simulated cable pull)'));
        device.connect(undefined);
      },
    });
  }

  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.fromDevice.fail(canceled());
    this.device.connect(undefined);
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    const first = await this.fromDevice.read(1, 2 ** 30);
    const more = Math.min(length - 1, this.fromDevice.available);
    const rest = more > 0 ? await this.fromDevice.read(more, 0) : new Uint8Array(0);
    buffer.set(first, offset);
    buffer.set(rest, offset + 1);
    return { buffer, bytesRead: 1 + rest.length };
  }

  async write(buffer: Buffer): Promise<void> {
    if (this.cut) throw new Error('device disconnected (simulated cable pull)');
    if (!this.isOpen) throw canceled();
    const bytes = Uint8Array.from(buffer);
    // Deliver after the caller's write completes, as a real UART would.
    setImmediate(() => this.isOpen && this.device.receive(bytes));
  }

  async update(options: UpdateOptions): Promise<void> {
    this.baudRate = options.baudRate;
    this.device.setHostBaud(options.baudRate);
  }

  async set(options: SetOptions): Promise<void> {
    if (this.cut) throw new Error('device disconnected (simulated cable pull)');
    this.device.setLines({ dtr: options.dtr, rts: options.rts });
  }

  async get(): Promise<PortStatus> {
    return { cts: false, dsr: false, dcd: false };
  }

  async getBaudRate(): Promise<{ baudRate: number }> {
    return { baudRate: this.baudRate };
  }

  async flush(): Promise<void> {
    this.fromDevice.clear();
  }

  async drain(): Promise<void> {}
}
