// esptool's flasher stub (its images from the esptool-js package) loaded into the simulated ROM and used to
// flash: by tinyforge's client, and by esptool-js itself over a real pseudo-terminal (socat), the
// independent reference for what the stub protocol looks like on the wire.
import { createHash } from 'node:crypto';
import { ESPLoader, Transport } from 'esptool-js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Esp32RomClient } from '../../targets/flash/esp32/esp32-rom-client.ts';
import { flashEsp32 } from '../../targets/flash/esp32/flash-esp32.ts';
import { flasherStub } from '../../targets/flash/esp32/flasher-stub.ts';
import { FlashError } from '../../targets/flash/flash-error.ts';
import { SerialLink } from '../../targets/flash/serial-link.ts';
import { Esp32RomSim, type Esp32SimOptions } from '../../targets/flash/sim/esp32-rom-sim.ts';
import { runFaultSession } from '../../targets/flash/sim/fault-session.ts';
import { SimBinding } from '../../targets/flash/sim/sim-binding.ts';
import { NodeWebSerialPort } from './node-web-serial-port.ts';
import { requireTool } from './required-tool.ts';
import { withPty } from './sim-on-pty.ts';

const FAST = { timeouts: { syncMs: 60, commandMs: 500, blockMs: 500, eraseBaseMs: 500, md5BaseMs: 500 } };
const open: { sim: Esp32RomSim; link: SerialLink }[] = [];

async function board(options: Esp32SimOptions): Promise<{ sim: Esp32RomSim; link: SerialLink }> {
  const sim = new Esp32RomSim(options);
  const binding = new SimBinding();
  binding.attach('/dev/ttyUSB3', sim);
  const link = await SerialLink.open({ path: '/dev/ttyUSB3', baudRate: 115200, serialMode: '8n1', binding });
  open.push({ sim, link });
  return { sim, link };
}

function image(n: number, seed: number): Uint8Array {
  let x = seed;
  return Uint8Array.from({ length: n }, (_, i) => {
    x = (x * 1103515245 + 12345) >>> 0;
    return i % 3000 > 2500 ? 0 : (x >>> 16) & 0xff;
  });
}

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

afterEach(async () => {
  for (const { sim, link } of open.splice(0)) {
    await link.close();
    sim.stop();
  }
});

describe('the esptool flasher stub from esptool-js', () => {
  it.each(['ESP32', 'ESP32-S2', 'ESP32-S3', 'ESP32-C3'] as const)('is found in the package for the %s, text and data at their load addresses', (chip) => {
    const stub = flasherStub(chip);
    expect(stub.segments.length).toBeGreaterThanOrEqual(1);
    expect(stub.segments[0]!.bytes.length).toBeGreaterThan(1000);
    expect(stub.entry).toBeGreaterThanOrEqual(stub.segments[0]!.address);
    expect(stub.entry).toBeLessThan(stub.segments[0]!.address + stub.segments[0]!.bytes.length);
  });
});

describe('tinyforge through the stub on the simulated chip', () => {
  it.each(['ESP32', 'ESP32-S3', 'ESP32-C3'] as const)('uploads the %s stub, flashes with 16 KiB blocks, verifies by MD5 and stays in the stub', async (chip) => {
    const { sim, link } = await board({ chip });
    const img = image(200_001, 3);
    const r = await flashEsp32(link, img, { address: 0x10000, stub: true, resetMode: 'none', client: FAST });
    expect(r.verified).toBe(true);
    expect(sim.stub).toBe(true);
    expect(sim.counters.stubStarts).toBe(1);
    expect(sim.counters.loaderExits).toBe(0); // FLASH_DEFL_END(stay) reached the stub, which stayed
    expect(sim.mode).toBe('download');
    expect(Buffer.compare(sim.flash.read(0x10000, img.length), img)).toBe(0);
  });

  it('switches the baud rate through the stub and writes uncompressed with fewer wire bytes per image byte than the ROM', async () => {
    const img = image(64 * 1024, 5);
    const rom = await board({ chip: 'ESP32' });
    const viaRom = await flashEsp32(rom.link, img, { address: 0x10000, compress: false, resetMode: 'none', client: FAST });
    const stub = await board({ chip: 'ESP32' });
    const viaStub = await flashEsp32(stub.link, img, { address: 0x10000, compress: false, stub: true, baudRate: 921600, resetMode: 'none', client: FAST });
    expect(stub.sim.baud).toBe(921600);
    expect(Buffer.compare(stub.sim.flash.read(0x10000, img.length), img)).toBe(0);
    const wire = (s: { bytesSent: number; bytesReceived: number }) => s.bytesSent + s.bytesReceived;
    expect(wire(viaStub.writeWire)).toBeLessThan(wire(viaRom.writeWire));
    expect(img.length / wire(viaStub.writeWire)).toBeGreaterThan(0.9);
  });

  it('finds the stub still running in a second session without a reset (SYNC answered with 0) and does not upload it again', async () => {
    const { sim, link } = await board({ chip: 'ESP32' });
    await flashEsp32(link, image(5000, 1), { address: 0x10000, stub: true, resetMode: 'none', client: FAST });
    const img = image(7000, 2);
    await flashEsp32(link, img, { address: 0x20000, stub: true, resetMode: 'none', client: FAST });
    expect(sim.counters.stubStarts).toBe(1);
    expect(sim.mode).toBe('download');
    expect(Buffer.compare(sim.flash.read(0x20000, img.length), img)).toBe(0);
  });

  it("leaves the stub for the application with 'run' after the MD5", async () => {
    const { sim, link } = await board({ chip: 'ESP32' });
    const img = image(9000, 7);
    await flashEsp32(link, img, { address: 0x10000, stub: true, after: 'run', resetMode: 'none', client: FAST });
    expect(sim.mode).toBe('application');
    expect(Buffer.compare(sim.flash.read(0x10000, img.length), img)).toBe(0);
  });

  it('erases a region through the stub; the ROM does not know the command', async () => {
    const { sim, link } = await board({ chip: 'ESP32' });
    sim.flash.program(0x20000, new Uint8Array(8192).fill(0x11));
    const client = new Esp32RomClient(link, { ...FAST, attempts: 1 });
    await client.sync();
    await client.detectChip();
    const romErr = (await client.eraseRegion(0x20000, 4096).catch((e: unknown) => e)) as FlashError;
    expect(romErr).toBeInstanceOf(FlashError);
    await client.runStub(flasherStub('ESP32'));
    await client.spiAttach();
    await client.eraseRegion(0x20000, 4096);
    expect(sim.flash.read(0x20000, 4096).every((b) => b === 0xff)).toBe(true);
    expect(sim.flash.read(0x21000, 4096).every((b) => b === 0x11)).toBe(true);
  });

  it('gets no OHAI when the uploaded program is not the stub (one byte changed): the chip runs it instead', async () => {
    const { sim, link } = await board({ chip: 'ESP32' });
    const real = flasherStub('ESP32');
    const text = Uint8Array.from(real.segments[0]!.bytes);
    text[100] ^= 1;
    const client = new Esp32RomClient(link, FAST);
    await client.sync();
    const err = (await client.runStub({ ...real, segments: [{ address: real.segments[0]!.address, bytes: text }, ...real.segments.slice(1)] }).catch((e: unknown) => e)) as FlashError;
    expect(err.code).toBe('NO_ANSWER');
    expect(err.message).toMatch(/OHAI/);
    expect(sim.stub).toBe(false);
    expect(sim.mode).toBe('application');
  });
});

describe('the stub path under injected faults', () => {
  it('a refused MEM_END is a named error, and the next clean session on the same pty loads the stub over what the first left in RAM', async () => {
    // Soak seed 984: the fault refuses the 7th command, MEM_END; the chip stays in the ROM with the stub's segments in RAM.
    const r = await runFaultSession('esp32-stub', 984, 'nack', 'pty');
    expect(r.outcome).toBe('DEVICE_ERROR');
    expect(r.message).toMatch(/MEM_END.*--no-stub/);
    expect(r.falseSuccess).toBe(false);
    expect(r.recovered).toBe(true);
  });
});

describe('esptool-js through the simulated stub over a pty', () => {
  beforeAll(() => requireTool('socat'));

  it.each(['ESP32', 'ESP32-C3'] as const)('uploads its own %s stub, writes compressed and verifies MD5', async (chip) => {
    await withPty(new Esp32RomSim({ chip }), async (pty, sim) => {
      const img = image(120_000, 11);
      const transport = new Transport(new NodeWebSerialPort(pty.hostPath) as unknown as ConstructorParameters<typeof Transport>[0], false);
      const lines: string[] = [];
      const loader = new ESPLoader({ transport, baudrate: 115200, terminal: { clean() {}, writeLine: (s: string) => lines.push(s), write: (s: string) => lines.push(s) } });
      try {
        await loader.connect('no_reset');
        await loader.runStub();
        await loader.flashSpiAttach(0);
        await loader.writeFlash({ fileArray: [{ data: img, address: 0x10000 }], flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true });
        expect(await loader.flashMd5sum(0x10000, img.length)).toBe(md5(img));
      } finally {
        await transport.disconnect();
      }
      expect(lines.join('\n')).toMatch(/Stub running/);
      expect(sim.stub).toBe(true);
      expect(Buffer.compare(sim.flash.read(0x10000, img.length), img)).toBe(0);
    });
  });
});
