// Reading flash back and erasing it through esptool's flasher stub (READ_FLASH with its acknowledgement flow
// control and closing MD5, ERASE_FLASH, ERASE_REGION), on the simulated chip. esptool-js's own readFlash and
// readMac, run against the same simulator over a real pty, are the independent client that shows the
// simulator speaks the stub's protocol rather than tinyforge's idea of it.
import { ESPLoader, Transport } from 'esptool-js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Esp32RomClient } from '../../targets/flash/esp32/esp32-rom-client.ts';
import { flashEsp32, flashEsp32Images } from '../../targets/flash/esp32/flash-esp32.ts';
import { FlashError } from '../../targets/flash/flash-error.ts';
import { SerialLink } from '../../targets/flash/serial-link.ts';
import { Esp32RomSim, type Esp32SimOptions } from '../../targets/flash/sim/esp32-rom-sim.ts';
import { SimBinding } from '../../targets/flash/sim/sim-binding.ts';
import { NodeWebSerialPort } from './node-web-serial-port.ts';
import { requireTool } from './required-tool.ts';
import { withPty } from './sim-on-pty.ts';

const FAST = { timeouts: { syncMs: 60, commandMs: 500, blockMs: 300, eraseBaseMs: 500, md5BaseMs: 500 } };
const open: { sim: Esp32RomSim; link: SerialLink }[] = [];

async function board(options: Esp32SimOptions = {}): Promise<{ sim: Esp32RomSim; link: SerialLink }> {
  const sim = new Esp32RomSim(options);
  const binding = new SimBinding();
  binding.attach('/dev/ttyUSB5', sim);
  const link = await SerialLink.open({ path: '/dev/ttyUSB5', baudRate: 115200, serialMode: '8n1', binding });
  open.push({ sim, link });
  return { sim, link };
}

function image(n: number, seed: number): Uint8Array {
  let x = seed;
  return Uint8Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) >>> 0;
    return (x >>> 16) & 0xff;
  });
}

/** A client that talks to the stub already running on the simulated chip. */
async function stubClient(link: SerialLink): Promise<Esp32RomClient> {
  const client = new Esp32RomClient(link, FAST);
  await client.sync();
  expect(client.stub).toBe(true);
  await client.detectChip();
  await client.spiAttach();
  return client;
}

afterEach(async () => {
  for (const { sim, link } of open.splice(0)) {
    await link.close();
    sim.stop();
  }
});

describe('--verify read-back through the stub', () => {
  it('reads every written region back after the MD5 and reports it', async () => {
    const { sim, link } = await board({ chip: 'ESP32-S3' });
    const app = image(70_001, 1);
    const data = image(5000, 2);
    const r = await flashEsp32Images(
      link,
      [
        { address: 0x10000, bytes: app },
        { address: 0x200000, bytes: data },
      ],
      { stub: true, readBack: true, resetMode: 'none', client: FAST },
    );
    expect(r.verified).toBe(true);
    expect(r.readBack).toBe(true);
    expect(sim.counters.readBacks).toBe(2);
    expect(Buffer.compare(sim.flash.read(0x10000, app.length), app)).toBe(0);
  });

  it('fails on a worn byte with the offset of the first differing byte, read directly rather than bisected', async () => {
    const { sim, link } = await board();
    sim.flash.stuckLow(0x10000 + 12_345, 0x10);
    const img = image(40_000, 3);
    img[12_345] = 0xff; // so the stuck bit must show
    const err = (await flashEsp32(link, img, { address: 0x10000, stub: true, readBack: true, resetMode: 'none', client: FAST }).catch((e: unknown) => e)) as FlashError;
    expect(err).toBeInstanceOf(FlashError);
    expect(err.code).toBe('VERIFY_MISMATCH');
    expect(err.address).toBe(0x10000 + 12_345);
    expect(err.message).toMatch(/first differing byte is at 0x00013039/);
    expect(sim.counters.readBacks).toBe(1);
  });

  it('returns what the flash holds, erased bytes included, and survives a damaged or lost byte in the data', async () => {
    const { sim, link } = await board();
    const img = image(9000, 4);
    await flashEsp32(link, img, { address: 0x10000, stub: true, resetMode: 'none', client: FAST });
    for (const fault of [
      { kind: 'corrupt', direction: 'toHost', atByte: 5000, xor: 0x04 },
      { kind: 'drop', direction: 'toHost', atByte: 7000 },
      { kind: 'drop', direction: 'toDevice', atByte: 2 }, // inside the first acknowledgement
    ] as const) {
      const client = await stubClient(link);
      const injector = sim.setFaults([fault])!;
      const got = await client.readFlash(0x10000, 12_288);
      sim.setFaults(undefined);
      expect(injector.fired).toHaveLength(1);
      expect(Buffer.compare(got.subarray(0, img.length), img)).toBe(0);
      expect(got.subarray(img.length).every((b) => b === 0xff)).toBe(true);
    }
  });

  it('is refused by name on the ROM path (--no-stub): the ROM has no READ_FLASH', async () => {
    const { sim, link } = await board();
    const err = (await flashEsp32(link, image(100, 5), { address: 0x10000, stub: false, readBack: true, resetMode: 'none', client: FAST }).catch((e: unknown) => e)) as FlashError;
    expect(err.code).toBe('BOARD');
    expect(err.message).toMatch(/needs the flasher stub.*no READ_FLASH/);
    expect(sim.counters.syncs).toBe(0); // refused before anything was sent
    const client = new Esp32RomClient(link, FAST);
    await client.sync();
    await expect(client.readFlash(0, 16)).rejects.toThrow(/no READ_FLASH/);
  });
});

describe('--erase through the stub', () => {
  it("'all' erases the whole chip before writing: every byte outside the image reads 0xFF, read back through the stub", async () => {
    const { sim, link } = await board();
    sim.flash.program(0x1000, new Uint8Array(4096).fill(0x00));
    sim.flash.program(0x3f0000, new Uint8Array(100).fill(0x5a));
    const img = image(3000, 6);
    const r = await flashEsp32(link, img, { address: 0x10000, stub: true, erase: 'all', readBack: true, resetMode: 'none', client: FAST });
    expect(r.verified).toBe(true);
    const rest = [...sim.flash.bytes.subarray(0, 0x10000), ...sim.flash.bytes.subarray(0x10000 + img.length)];
    expect(rest.every((b) => b === 0xff)).toBe(true);
    const client = await stubClient(link);
    expect((await client.readFlash(0x1000, 4096)).every((b) => b === 0xff)).toBe(true);
    expect((await client.readFlash(0x3f0000, 4096)).every((b) => b === 0xff)).toBe(true);
  });

  it("'regions' erases only the sectors the images cover (the rest of the image's last sector too)", async () => {
    const { sim, link } = await board();
    sim.flash.program(0x10000, new Uint8Array(0x3000).fill(0x00));
    sim.flash.program(0x13000, new Uint8Array(4096).fill(0x22));
    const img = image(5000, 7); // sectors 0x10000 and 0x11000
    await flashEsp32(link, img, { address: 0x10000, stub: true, erase: 'regions', resetMode: 'none', client: FAST });
    const client = await stubClient(link);
    const tail = await client.readFlash(0x10000 + 5000, 0x12000 - 0x10000 - 5000);
    expect(tail.every((b) => b === 0xff)).toBe(true);
    expect((await client.readFlash(0x12000, 4096)).every((b) => b === 0x00)).toBe(true); // untouched
    expect((await client.readFlash(0x13000, 4096)).every((b) => b === 0x22)).toBe(true);
  });

  it.each(['all', 'regions'] as const)("--erase %s is refused by name on the ROM path", async (erase) => {
    const { sim, link } = await board();
    const err = (await flashEsp32(link, image(100, 8), { address: 0x10000, stub: false, erase, resetMode: 'none', client: FAST }).catch((e: unknown) => e)) as FlashError;
    expect(err.code).toBe('BOARD');
    expect(err.message).toMatch(/needs the flasher stub.*ERASE_FLASH/);
    expect(sim.counters.syncs).toBe(0);
  });
});

describe('esptool-js against the simulated stub over a pty (the independent client)', () => {
  beforeAll(() => requireTool('socat'));

  it.each(['ESP32', 'ESP32-C3'] as const)('%s: its readMac gets the eFuse MAC, its readFlash what it wrote (0xFF after it), byte for byte what tinyforge reads back', async (chip) => {
    await withPty(new Esp32RomSim({ chip, mac: '7c:df:a1:12:34:56' }), async (pty, sim) => {
      const img = image(10_000, 9);
      const transport = new Transport(new NodeWebSerialPort(pty.hostPath) as unknown as ConstructorParameters<typeof Transport>[0], false);
      const loader = new ESPLoader({ transport, baudrate: 115200, terminal: { clean() {}, writeLine() {}, write() {} } });
      let back: Uint8Array;
      try {
        await loader.connect('no_reset');
        expect(await loader.chip.readMac(loader)).toBe('7c:df:a1:12:34:56');
        await loader.runStub();
        await loader.flashSpiAttach(0);
        await loader.writeFlash({ fileArray: [{ data: img, address: 0x10000 }], flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true });
        const seen: number[] = [];
        back = await loader.readFlash(0x10000, 12_288, (_p: Uint8Array, done: number) => seen.push(done));
        expect(seen).toEqual([4096, 8192, 12_288]);
      } finally {
        await transport.disconnect();
      }
      expect(Buffer.compare(back.subarray(0, img.length), img)).toBe(0);
      expect(back.subarray(img.length).every((b: number) => b === 0xff)).toBe(true);
      // tinyforge on the same chip, whose stub esptool-js left running.
      const link = await SerialLink.open({ path: pty.hostPath, baudRate: 115200, serialMode: '8n1' });
      try {
        const client = await stubClient(link);
        expect(await client.readMac()).toBe('7c:df:a1:12:34:56');
        expect(Buffer.compare(await client.readFlash(0x10000, 12_288), back)).toBe(0);
      } finally {
        await link.close();
      }
      expect(sim.counters.readBacks).toBe(2);
    });
  });
});
