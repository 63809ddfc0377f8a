// A fake `navigator.serial` inside the page, bridged to one of the project's simulated bootloaders running in
// the test: the page's port writes reach the simulator's UART, its DTR/RTS the simulated reset and boot pins, and
// what the simulator sends comes out of the port's readable stream — so the playground's Web Serial flashing runs
// the real protocol code against the same STM32/ESP32 models the CLI's tests use.
import type { Page } from 'playwright-core';
import { SerialPort } from 'serialport';
import type { SimDevice } from '../../targets/flash/sim/sim-device.ts';

/** Runs in the page (serialized by Playwright): a Web Serial port whose ends are the exposed bridge functions. */
function installFakeSerial(): void {
  type Bridge = {
    __tfSerialOpen(baud: number): Promise<void>;
    __tfSerialWrite(bytes: number[]): Promise<void>;
    __tfSerialSignals(signals: { dtr?: boolean; rts?: boolean }): Promise<void>;
    __tfSerialClose(): Promise<void>;
    __tfSerialDeliver?: (bytes: number[]) => void;
    __tfSerialDrop?: () => void;
  };
  const w = window as unknown as Bridge;
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const port = {
    readable: null as ReadableStream<Uint8Array> | null,
    writable: null as WritableStream<Uint8Array> | null,
    async open(options: { baudRate: number }) {
      if (port.readable) throw new DOMException('The port is already open.', 'InvalidStateError');
      port.readable = new ReadableStream<Uint8Array>({ start(c) { controller = c; } });
      port.writable = new WritableStream<Uint8Array>({ write: (chunk) => w.__tfSerialWrite(Array.from(chunk)) });
      await w.__tfSerialOpen(options.baudRate);
    },
    async close() {
      try { controller?.close(); } catch { /* cancelled already */ }
      controller = undefined;
      port.readable = port.writable = null;
      await w.__tfSerialClose();
    },
    async setSignals(s: { dataTerminalReady?: boolean; requestToSend?: boolean }) {
      await w.__tfSerialSignals({ ...(s.dataTerminalReady !== undefined ? { dtr: s.dataTerminalReady } : {}), ...(s.requestToSend !== undefined ? { rts: s.requestToSend } : {}) });
    },
    getInfo() { return { usbVendorId: 0x10c4, usbProductId: 0xea60 }; },
  };
  w.__tfSerialDeliver = (bytes) => { try { controller?.enqueue(new Uint8Array(bytes)); } catch { /* closed meanwhile */ } };
  // The cable pulled: the readable stream errors as Chromium's does when the device is lost.
  w.__tfSerialDrop = () => { try { controller?.error(new DOMException('The device has been lost.', 'NetworkError')); } catch { /* closed meanwhile */ } };
  Object.defineProperty(navigator, 'serial', { value: { requestPort: async () => port, getPorts: async () => [port] }, configurable: true });
}

/** Installs the fake port in `page` (before its scripts run) and wires it to whichever device `current()` gives. */
export async function bridgeWebSerial(page: Page, current: () => SimDevice): Promise<{ opens: number[] }> {
  const opens: number[] = [];
  let toPage = Promise.resolve();
  await page.exposeFunction('__tfSerialOpen', (baud: number) => {
    opens.push(baud);
    const device = current();
    device.setHostBaud(baud);
    device.connect({
      toHost: (bytes) => {
        const copy = Array.from(bytes);
        toPage = toPage.then(() => page.evaluate((b) => (window as unknown as { __tfSerialDeliver(b: number[]): void }).__tfSerialDeliver(b), copy)).catch(() => {});
      },
      disconnect: () => {},
    });
  });
  await page.exposeFunction('__tfSerialWrite', (bytes: number[]) => { current().receive(Uint8Array.from(bytes)); });
  await page.exposeFunction('__tfSerialSignals', (s: { dtr?: boolean; rts?: boolean }) => { current().setLines(s); });
  await page.exposeFunction('__tfSerialClose', () => { current().connect(undefined); });
  await page.addInitScript(installFakeSerial);
  return { opens };
}

/**
 * Installs the fake port in `page` and wires it to a real serial port of this machine (a QEMU board's
 * pseudo-terminal): the page's port opens it through `serialport` at the page's baud, and bytes flow both ways.
 * DTR/RTS are ignored (a pty has none). `dropAtDataFrame`: the link is pulled at that update DATA frame (1-based).
 */
export async function bridgeWebSerialToPort(page: Page, path: string, options: { dropAtDataFrame?: number } = {}): Promise<{ opens: number[] }> {
  const opens: number[] = [];
  let dataFrames = 0;
  let port: SerialPort | undefined;
  let toPage = Promise.resolve();
  await page.exposeFunction('__tfSerialOpen', async (baud: number) => {
    opens.push(baud);
    const p = new SerialPort({ path, baudRate: baud, autoOpen: false });
    await new Promise<void>((resolve, reject) => p.open((err) => (err ? reject(err) : resolve())));
    p.on('data', (chunk: Uint8Array) => {
      const copy = Array.from(chunk);
      toPage = toPage.then(() => page.evaluate((b) => (window as unknown as { __tfSerialDeliver(b: number[]): void }).__tfSerialDeliver(b), copy)).catch(() => {});
    });
    port = p;
  });
  await page.exposeFunction('__tfSerialWrite', async (bytes: number[]) => {
    const p = port;
    if (!p) throw new Error('the port is not open');
    // A dropped link: that update DATA frame ("TFQ" 'D') never reaches the device, the page's port loses its device.
    if (bytes[3] === 0x44 && ++dataFrames === options.dropAtDataFrame) {
      port = undefined;
      await new Promise<void>((resolve) => p.close(() => resolve()));
      toPage = toPage.then(() => page.evaluate(() => (window as unknown as { __tfSerialDrop(): void }).__tfSerialDrop())).catch(() => {});
      return;
    }
    await new Promise<void>((resolve, reject) => p.write(Buffer.from(bytes), (err) => (err ? reject(err) : p.drain(() => resolve()))));
  });
  await page.exposeFunction('__tfSerialSignals', () => {});
  await page.exposeFunction('__tfSerialClose', async () => {
    const p = port;
    port = undefined;
    if (p?.isOpen) await new Promise<void>((resolve) => p.close(() => resolve()));
  });
  await page.addInitScript(installFakeSerial);
  return { opens };
}
