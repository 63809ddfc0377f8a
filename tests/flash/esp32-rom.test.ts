// tinyforge's ESP32 ROM loader client against the simulated ROM, through the in-process serial binding,
// which carries DTR/RTS to the simulated EN/GPIO0 circuit and baud changes to the simulated UART.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Esp32RomClient } from '../../targets/flash/esp32/esp32-rom-client.ts';
import { flashEsp32, flashEsp32Images } from '../../targets/flash/esp32/flash-esp32.ts';
import { dataChecksum, decodeResponse, encodeRequest, Op } from '../../targets/flash/esp32/rom-protocol.ts';
import { SlipDecoder, slipEncode } from '../../targets/flash/esp32/slip.ts';
import { FlashError } from '../../targets/flash/flash-error.ts';
import { SerialLink } from '../../targets/flash/serial-link.ts';
import { Esp32RomSim, type Esp32SimOptions } from '../../targets/flash/sim/esp32-rom-sim.ts';
import { SimBinding } from '../../targets/flash/sim/sim-binding.ts';

const FAST = { timeouts: { syncMs: 60, commandMs: 300, blockMs: 300, eraseBaseMs: 300, md5BaseMs: 300 } };
const open: { sim: Esp32RomSim; link: SerialLink }[] = [];

async function board(options: Esp32SimOptions): Promise<{ sim: Esp32RomSim; link: SerialLink }> {
  const sim = new Esp32RomSim(options);
  const binding = new SimBinding();
  binding.attach('/dev/ttyUSB7', sim);
  const link = await SerialLink.open({ path: '/dev/ttyUSB7', baudRate: 115200, serialMode: '8n1', binding });
  open.push({ sim, link });
  return { sim, link };
}

/** Model-like bytes: int8 weights around zero, with some zero padding, so deflate has work to do. */
function modelImage(n: number): Uint8Array {
  let x = 12345;
  return Uint8Array.from({ length: n }, (_, i) => {
    x = (x * 1103515245 + 12345) >>> 0;
    return i % 5000 > 4600 ? 0 : ((x >>> 16) % 41) - 20;
  });
}

afterEach(async () => {
  for (const { sim, link } of open.splice(0)) {
    await link.close();
    sim.stop();
  }
});

describe('SLIP and packets', () => {
  it('escapes 0xC0 and 0xDB and decodes frames split anywhere', () => {
    const packet = Uint8Array.of(1, 0xc0, 2, 0xdb, 3);
    const wire = slipEncode(packet);
    expect([...wire]).toEqual([0xc0, 1, 0xdb, 0xdc, 2, 0xdb, 0xdd, 3, 0xc0]);
    const decoder = new SlipDecoder();
    // Boot-log text before the frame is ignored; the frame arrives in two pieces.
    expect(decoder.push(Uint8Array.of(0x72, 0x73, ...wire.subarray(0, 4)))).toEqual([]);
    expect(decoder.push(wire.subarray(4))).toEqual([packet]);
  });

  it('checksums data with the seed 0xEF and lays out requests little-endian', () => {
    expect(dataChecksum(new Uint8Array(0))).toBe(0xef);
    expect(dataChecksum(Uint8Array.of(0xef))).toBe(0);
    const req = encodeRequest({ op: Op.flashData, data: Uint8Array.of(9, 8), checksum: 0x1234 });
    expect([...req]).toEqual([0x00, 0x03, 2, 0, 0x34, 0x12, 0, 0, 9, 8]);
    expect(decodeResponse(Uint8Array.of(1, 0x0a, 2, 0, 0x83, 0x1d, 0xf0, 0, 0, 0))).toEqual({ op: 0x0a, value: 0x00f01d83, data: Uint8Array.of(0, 0) });
  });
});

describe('ESP32 ROM client against the simulator', () => {
  it.each(['ESP32', 'ESP32-S3', 'ESP32-C3'] as const)('syncs and detects an %s by its magic register', async (chip) => {
    const { link } = await board({ chip });
    const client = new Esp32RomClient(link, FAST);
    await client.sync();
    expect((await client.detectChip()).name).toBe(chip);
  });

  it.each([true, false])('writes a model-sized image (compressed: %s) and verifies it by MD5', async (compress) => {
    const { sim, link } = await board({ chip: 'ESP32' });
    const img = modelImage(100_002); // not a multiple of 4: padded with 0xFF like esptool does
    const result = await flashEsp32(link, img, { address: 0x10000, compress, resetMode: 'none', client: FAST });
    expect(result.verified).toBe(true);
    expect(Buffer.compare(sim.flash.read(0x10000, img.length), img)).toBe(0);
    if (compress) expect(result.bytesSent).toBeLessThan(img.length);
    else expect(result.bytesSent).toBe(100_004);
  });

  it('auto-resets into download mode through DTR/RTS, and into the application afterwards', async () => {
    const { sim, link } = await board({ chip: 'ESP32', wiring: 'classic' });
    expect(sim.mode).toBe('application');
    const img = modelImage(5000);
    await flashEsp32(link, img, { address: 0x20000, resetMode: 'classic', run: true, client: FAST });
    expect(Buffer.compare(sim.flash.read(0x20000, img.length), img)).toBe(0);
    expect(sim.mode).toBe('application');
  });

  it('gets no answer without the reset sequence when the chip runs its application', async () => {
    const { link } = await board({ chip: 'ESP32', wiring: 'classic' });
    const err = (await flashEsp32(link, modelImage(100), { address: 0x10000, resetMode: 'none', client: { ...FAST, syncAttempts: 3 } }).catch((e: unknown) => e)) as FlashError;
    expect(err).toBeInstanceOf(FlashError);
    expect(err.code).toBe('NO_ANSWER');
  });

  it('switches the baud rate with CHANGE_BAUDRATE, host and chip together', async () => {
    const { sim, link } = await board({ chip: 'ESP32', wiring: 'classic' });
    const img = modelImage(20_000);
    await flashEsp32(link, img, { address: 0x10000, baudRate: 921600, client: FAST });
    expect(sim.counters.baudChanges).toBe(1);
    expect(sim.baud).toBe(921600);
    expect(link.baudRate).toBe(921600);
    expect(Buffer.compare(sim.flash.read(0x10000, img.length), img)).toBe(0);
  });

  it('loses the chip if only the chip changes its baud rate (what a wrong rate looks like)', async () => {
    const { sim, link } = await board({ chip: 'ESP32' });
    const client = new Esp32RomClient(link, { ...FAST, attempts: 2 });
    await client.sync();
    sim.baud = 921600; // the chip switched, the host did not
    const err = (await client.readReg(0x4000_1000).catch((e: unknown) => e)) as FlashError;
    expect(err.code).toBe('TIMEOUT');
  });

  it('refuses a chip the board does not carry', async () => {
    const { link } = await board({ chip: 'ESP32-C3' });
    const err = (await flashEsp32(link, modelImage(100), { address: 0x10000, resetMode: 'none', expectedChip: 'ESP32-S3', client: FAST }).catch((e: unknown) => e)) as FlashError;
    expect(err.code).toBe('CHIP_MISMATCH');
    expect(err.message).toContain('ESP32-C3');
  });

  it('finds the first differing address by bisecting with MD5s when verification fails', async () => {
    const { sim, link } = await board({ chip: 'ESP32' });
    sim.flash.stuckLow(0x10000 + 4321, 0x01);
    const img = new Uint8Array(9000).fill(0x3f);
    const err = (await flashEsp32(link, img, { address: 0x10000, resetMode: 'none', client: FAST }).catch((e: unknown) => e)) as FlashError;
    expect(err.code).toBe('VERIFY_MISMATCH');
    expect(err.address).toBe(0x10000 + 4321);
  });

  it('answers MD5 of a region exactly as computed on the host', async () => {
    const { sim, link } = await board({ chip: 'ESP32' });
    sim.flash.program(0x3000, Uint8Array.of(1, 2, 3));
    const client = new Esp32RomClient(link, FAST);
    await client.sync();
    await client.spiAttach();
    const want = createHash('md5').update(sim.flash.read(0x3000, 4096)).digest('hex');
    expect(await client.flashMd5(0x3000, 4096)).toBe(want);
  });

  it.each([true, false])('leaves the loader on FLASH_DEFL_END with stay-in-loader %s, as the ROM does: END before MD5 fails', async (stay) => {
    // The order tinyforge used to follow: data, END "stay in loader", then SPI_FLASH_MD5.
    const { sim, link } = await board({ chip: 'ESP32' });
    const client = new Esp32RomClient(link, { ...FAST, attempts: 2 });
    await client.sync();
    await client.detectChip();
    await client.spiAttach();
    await client.spiSetParams(4 * 1024 * 1024);
    const img = new Uint8Array(4096).fill(0x5a);
    const packed = deflateSync(img);
    await client.flashDeflBegin(img.length, 1, 0x400, 0x10000);
    await client.flashDeflData(packed, 0);
    await client.flashDeflEnd(stay);
    expect(sim.mode).toBe('application');
    expect(sim.counters.loaderExits).toBe(1);
    const err = (await client.flashMd5(0x10000, img.length).catch((e: unknown) => e)) as FlashError;
    expect(err).toBeInstanceOf(FlashError);
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toMatch(/no answer to SPI_FLASH_MD5/);
  });

  it('also leaves the loader on an uncompressed FLASH_END with stay-in-loader set', async () => {
    const { sim, link } = await board({ chip: 'ESP32' });
    const client = new Esp32RomClient(link, FAST);
    await client.sync();
    await client.spiAttach();
    await client.flashBegin(1024, 1, 0x400, 0x10000);
    await client.flashData(new Uint8Array(1024).fill(7), 0);
    await client.flashEnd(true);
    expect(sim.mode).toBe('application');
  });

  it('follows the order data, MD5, reset: the session stays in the ROM loader until the end', async () => {
    const { sim, link } = await board({ chip: 'ESP32' });
    const img = modelImage(30_000);
    const r = await flashEsp32(link, img, { address: 0x10000, resetMode: 'none', client: FAST });
    expect(r.verified).toBe(true);
    expect(sim.counters.loaderExits).toBe(0); // no END reached the ROM
    expect(sim.mode).toBe('download');
    // A second session on the same connection still finds the loader.
    await flashEsp32(link, modelImage(5000), { address: 0x20000, resetMode: 'none', client: FAST });
    expect(Buffer.compare(sim.flash.read(0x20000, 5000), modelImage(5000))).toBe(0);
  });

  it("runs the application over the wire alone with esptool's ROM soft reset, after the MD5", async () => {
    const { sim, link } = await board({ chip: 'ESP32' });
    const img = modelImage(8000);
    const r = await flashEsp32(link, img, { address: 0x10000, resetMode: 'none', after: 'run', client: FAST });
    expect(r.verified).toBe(true);
    expect(sim.counters.loaderExits).toBe(1);
    expect(sim.mode).toBe('application');
    expect(Buffer.compare(sim.flash.read(0x10000, img.length), img)).toBe(0);
    // Nothing answers any more: the chip runs its application.
    const err = (await new Esp32RomClient(link, { ...FAST, syncAttempts: 2 }).sync().catch((e: unknown) => e)) as FlashError;
    expect(err.code).toBe('NO_ANSWER');
  });

  it('writes several images in one session and names the first bad byte of whichever fails its MD5', async () => {
    const { sim, link } = await board({ chip: 'ESP32' });
    sim.flash.stuckLow(0x30000 + 777, 0x80);
    const images = [
      { address: 0x1000, bytes: modelImage(6000) },
      { address: 0x30000, bytes: new Uint8Array(3000).fill(0xc3) },
    ];
    const err = (await flashEsp32Images(link, images, { resetMode: 'none', client: FAST }).catch((e: unknown) => e)) as FlashError;
    expect(err.code).toBe('VERIFY_MISMATCH');
    expect(err.address).toBe(0x30000 + 777);
    expect(Buffer.compare(sim.flash.read(0x1000, 6000), images[0]!.bytes)).toBe(0);
    // One session: both images begun, no reconnect between them (a SYNC retried on a loaded machine before
    // the first write is still the same session).
    expect(sim.counters.flashBegins).toBe(2);
    expect(sim.counters.syncsAfterBegin).toBe(0);
  });

  it('refuses an address the ROM cannot erase from', async () => {
    const { link } = await board({ chip: 'ESP32' });
    const err = (await flashEsp32(link, modelImage(10), { address: 0x10010, resetMode: 'none', client: FAST }).catch((e: unknown) => e)) as FlashError;
    expect(err.code).toBe('IMAGE');
    expect(err.message).toMatch(/4 KiB/);
  });
});
