// Serves a simulated device on the device end of a pty pair. A disconnect fault kills socat, so the host's
// port really vanishes, the way a USB adapter does when its cable is pulled.
import { SerialPort } from 'serialport';
import { createPtyPair, type PtyPair } from './pty-pair.ts';
import type { SimDevice } from './sim-device.ts';

export interface ServedPty {
  /** Open this path with the flashing tool. */
  hostPath: string;
  pair: PtyPair;
  close(): Promise<void>;
}

export async function serveOnPty(device: SimDevice): Promise<ServedPty> {
  const pair = await createPtyPair();
  const port = new SerialPort({ path: pair.devicePath, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  port.on('data', (chunk: Buffer) => device.receive(Uint8Array.from(chunk)));
  // The port errors out when socat goes away; the device simply stops hearing anything.
  port.on('error', () => {});
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    device.connect(undefined);
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    await pair.close();
  };
  device.connect({
    toHost: (bytes) => {
      if (!closed && port.isOpen) port.write(Buffer.from(bytes));
    },
    disconnect: () => void close(),
  });
  return { hostPath: pair.hostPath, pair, close };
}
