// Chip detection as esptool does it (GET_SECURITY_INFO chip id, else the magic register at 0x40001000),
// checked against esptool-js itself: its own tables, and esptool-js connecting to the simulated chip.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ESPLoader, Transport } from 'esptool-js';
import { afterEach, describe, expect, it } from 'vitest';
import { ESP_CHIPS, REFUSED_ESP_CHIPS, espChipByName, type KnownEspChip } from '../../targets/flash/esp32/chip-detect.ts';
import { Esp32RomClient } from '../../targets/flash/esp32/esp32-rom-client.ts';
import { flashEsp32 } from '../../targets/flash/esp32/flash-esp32.ts';
import { FlashError } from '../../targets/flash/flash-error.ts';
import { SerialLink } from '../../targets/flash/serial-link.ts';
import { Esp32RomSim } from '../../targets/flash/sim/esp32-rom-sim.ts';
import { SimBinding } from '../../targets/flash/sim/sim-binding.ts';
import { NodeWebSerialPort } from './node-web-serial-port.ts';

const FAST = { timeouts: { syncMs: 60, commandMs: 300, blockMs: 300, eraseBaseMs: 300, md5BaseMs: 300 } };
const esptoolLib = join(dirname(createRequire(import.meta.url).resolve('esptool-js')));
const opened: { sim: Esp32RomSim; link?: SerialLink }[] = [];

afterEach(async () => {
  for (const { sim, link } of opened.splice(0)) {
    await link?.close();
    sim.stop();
  }
});

async function board(chip: string): Promise<{ sim: Esp32RomSim; link: SerialLink }> {
  const sim = new Esp32RomSim({ chip });
  const binding = new SimBinding();
  binding.attach('/dev/ttyUSB3', sim);
  const link = await SerialLink.open({ path: '/dev/ttyUSB3', baudRate: 115200, serialMode: '8n1', binding });
  opened.push({ sim, link });
  return { sim, link };
}

/** esptool-js's magic2Chip: the `case 0x...:` values that lead to each `import("./targets/<file>.js")`. */
function esptoolMagics(): Map<string, number[]> {
  const src = readFileSync(join(esptoolLib, 'esploader.js'), 'utf8');
  const body = src.slice(src.indexOf('async function magic2Chip'), src.indexOf('export class ESPLoader'));
  const out = new Map<string, number[]>();
  let pending: number[] = [];
  for (const line of body.split('\n')) {
    const c = /case (0x[0-9a-f]+|\d+):/i.exec(line);
    if (c) pending.push(Number(c[1]));
    const t = /import\("\.\/targets\/(\w+)\.js"\)/.exec(line);
    if (t) {
      out.set(t[1]!, pending);
      pending = [];
    }
  }
  return out;
}

const fileOf = (chip: KnownEspChip) => chip.name.toLowerCase().replace('-', '');

describe('the chip table agrees with esptool-js 0.7.0', () => {
  const magics = esptoolMagics();
  it.each([...ESP_CHIPS, ...REFUSED_ESP_CHIPS].map((c) => [c.name, c] as const))('%s: magic values, chip id, bootloader offset', async (_name, chip) => {
    const theirs = magics.get(fileOf(chip));
    expect(theirs).toBeDefined();
    // tinyforge leaves out only a magic of 0 (ESP32-P4's early silicon): a register reading 0 names nothing.
    expect([...chip.magics].sort()).toEqual(theirs!.filter((m) => m !== 0).sort());
    const mod = (await import(join(esptoolLib, 'targets', `${fileOf(chip)}.js`))) as Record<string, new () => Record<string, unknown>>;
    const rom = new (Object.values(mod)[0]!)();
    expect(rom.CHIP_NAME).toBe(chip.name);
    if (typeof chip.securityInfo === 'object') expect(rom.IMAGE_CHIP_ID).toBe(chip.securityInfo.chipId);
    expect(Boolean(rom.USES_MAGIC_VALUE ?? true)).toBe(chip.usesMagic);
    if (espChipByName(chip.name)) expect(rom.BOOTLOADER_FLASH_OFFSET).toBe(chip.bootloaderOffset);
  });

  it('puts the second-stage bootloader at 0x1000 on ESP32 and ESP32-S2, at 0x0 on ESP32-S3 and ESP32-C3', () => {
    expect(ESP_CHIPS.map((c) => [c.name, c.bootloaderOffset])).toEqual([
      ['ESP32', 0x1000],
      ['ESP32-S2', 0x1000],
      ['ESP32-S3', 0x0],
      ['ESP32-C3', 0x0],
    ]);
  });
});

describe('detecting the chip on the simulated ROM', () => {
  it.each(['ESP32', 'ESP32-S2', 'ESP32-S3', 'ESP32-C3'])('tinyforge and esptool-js both name the %s', async (name) => {
    const { link } = await board(name);
    const client = new Esp32RomClient(link, FAST);
    await client.sync();
    expect((await client.detectChip()).name).toBe(name);
    await link.close();
    opened[0]!.link = undefined;

    const binding = new SimBinding();
    binding.attach('/dev/ttyUSB4', opened[0]!.sim);
    const transport = new Transport(new NodeWebSerialPort('/dev/ttyUSB4', binding) as unknown as ConstructorParameters<typeof Transport>[0], false);
    const loader = new ESPLoader({ transport, baudrate: 115200, terminal: { clean() {}, writeLine() {}, write() {} } });
    try {
      await loader.connect('no_reset');
      expect(loader.chip.CHIP_NAME).toBe(name);
    } finally {
      await transport.disconnect();
    }
  });

  it.each(['ESP32-S2', 'ESP32-S3', 'ESP32-C3'])('writes and verifies an image on an %s (FLASH_DEFL_BEGIN with its fifth word)', async (name) => {
    const { sim, link } = await board(name);
    const img = Uint8Array.from({ length: 7000 }, (_, i) => (i * 31) & 0xff);
    const r = await flashEsp32(link, img, { address: 0x10000, resetMode: 'none', expectedChip: espChipByName(name)!.name, client: FAST });
    expect(r.verified).toBe(true);
    expect(Buffer.compare(sim.flash.read(0x10000, img.length), img)).toBe(0);
  });

  it.each(['ESP8266', 'ESP32-C6', 'ESP32-H2', 'ESP32-C2', 'ESP32-P4'])('refuses an %s by name, before anything is erased', async (name) => {
    const { sim, link } = await board(name);
    sim.flash.program(0x10000, Uint8Array.of(1, 2, 3, 4));
    const err = (await flashEsp32(link, new Uint8Array(100), { address: 0x10000, resetMode: 'none', client: FAST }).catch((e: unknown) => e)) as FlashError;
    expect(err).toBeInstanceOf(FlashError);
    expect(err.code).toBe('CHIP_MISMATCH');
    expect(err.message).toContain(`the device is an ${name}, which tinyforge cannot flash: it flashes ESP32, ESP32-S2, ESP32-S3, ESP32-C3`);
    expect([...sim.flash.read(0x10000, 4)]).toEqual([1, 2, 3, 4]);
  });
});
