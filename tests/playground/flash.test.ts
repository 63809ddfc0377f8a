// Flashing from the page over Web Serial: Chromium runs the playground, whose `navigator.serial` is a fake port
// bridged to the project's simulated STM32 bootloader and ESP32 ROM (fake-web-serial.ts). The page flashes an
// image with the CLI's protocol code; the simulated chip's flash must then hold it, verified.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { Esp32RomSim } from '../../targets/flash/sim/esp32-rom-sim.ts';
import type { SimDevice } from '../../targets/flash/sim/sim-device.ts';
import { Stm32BootloaderSim } from '../../targets/flash/sim/stm32-bootloader-sim.ts';
import { slotRegions } from '../../targets/firmware/update/slot-regions.ts';
import { repoRoot } from '../cli/run-cli.ts';
import { usePlayground } from './build-playground.ts';
import { pageResult, watchedPage } from './chromium.ts';
import { bridgeWebSerial } from './fake-web-serial.ts';

const work = mkdtempSync(join(tmpdir(), 'tf-pg-flash-'));
const pg = usePlayground();

function firmware(name: string, n: number, seed: number): { path: string; bytes: Uint8Array } {
  const rand = new SeededRandom(seed);
  const bytes = Uint8Array.from({ length: n }, () => rand.int(0, 255));
  const path = join(work, name);
  writeFileSync(path, bytes);
  return { path, bytes };
}

async function flashInPage(device: SimDevice, board: string, file: string, options: { stub?: boolean } = {}) {
  const w = await watchedPage(pg.browser, pg.server.url);
  const bridge = await bridgeWebSerial(w.page, () => device);
  await w.page.goto(`${pg.server.url}/index.html`);
  expect((await pageResult(w.page)).status).toBe('done');
  await w.page.selectOption('#flash-board', board);
  await w.page.setInputFiles('#flash-file', file);
  if (options.stub === false) await w.page.uncheck('#flash-stub');
  await w.page.click('#flash-go');
  await w.page.waitForSelector('#flash-status[data-status="done"], #flash-status[data-status="error"]', { timeout: 120_000 });
  return { ...w, bridge, status: (await w.page.getAttribute('#flash-status', 'data-status'))!, text: (await w.page.textContent('#flash-status'))! };
}

/** The page makes the firmware for hello_world on `board`, saves its code and slot A, and flashes what it made. */
async function makeAndFlash(device: SimDevice, board: string) {
  const w = await watchedPage(pg.browser, pg.server.url);
  const bridge = await bridgeWebSerial(w.page, () => device);
  await w.page.goto(`${pg.server.url}/index.html?model=models/hello_world_int8.tflite&board=${board}`);
  expect((await pageResult(w.page)).status).toBe('done');
  await w.page.click('#firmware-go');
  await w.page.waitForSelector('#firmware-status[data-status="done"]', { timeout: 60_000 });
  const saved = async (file: string) => {
    const [d] = await Promise.all([w.page.waitForEvent('download'), w.page.click(`#firmware-files button[data-file="${file}"]`)]);
    const path = join(work, `${board}-${file}`);
    await d.saveAs(path);
    return readFileSync(path);
  };
  const code = await saved('firmware.bin');
  const slot = await saved('model-slot-a.bin');
  await w.page.click('#flash-made');
  await w.page.waitForSelector('#flash-status[data-status="done"], #flash-status[data-status="error"]', { timeout: 300_000 });
  const text = (await w.page.textContent('#flash-status'))!;
  expect(await w.page.getAttribute('#flash-status', 'data-status'), text).toBe('done');
  expect(await w.page.inputValue('#flash-board')).toBe(board);
  return { w, bridge, code, slot, text };
}

describe('flash over Web Serial (Chromium, fake navigator.serial bridged to the simulated bootloaders)', () => {
  it('STM32 (nucleo-l4r5zi, AN3155 in 8E1): writes the image and verifies it by read-back', async () => {
    const sim = new Stm32BootloaderSim({ pid: 0x470 });
    const img = firmware('app.bin', 9000, 3);
    try {
      const r = await flashInPage(sim, 'nucleo-l4r5zi', img.path);
      expect(r.status, r.text).toBe('done');
      expect(r.text).toMatch(/^flashed 9000 bytes to the STM32L4R.* at 0x08000000 on the Web Serial port, verified by read-back/);
      expect(Buffer.from(sim.flash.read(0x0800_0000, img.bytes.length)).equals(Buffer.from(img.bytes))).toBe(true);
      expect(r.bridge.opens).toEqual([115200]);
      expect(await r.page.getAttribute('#flash-progress', 'value')).toBe('1');
      await r.page.locator('#flash-view').screenshot({ path: join(repoRoot, 'playground', 'screenshots', 'flash-view.png') });
      expect(r.problems).toEqual([]);
      expect(r.external).toEqual([]);
      await r.page.close();
    } finally {
      sim.stop();
    }
  });

  it.each([true, false])('ESP32 (esp32-devkitc, classic DTR/RTS reset, stub: %s): uploads, switches to 460800, verifies by MD5', async (stub) => {
    const sim = new Esp32RomSim({ chip: 'ESP32', wiring: 'classic' });
    const img = firmware('app-esp.bin', 30_000, 4);
    try {
      const r = await flashInPage(sim, 'esp32-devkitc', img.path, { stub });
      expect(r.status, r.text).toBe('done');
      expect(r.text).toContain(`flashed 30000 bytes to the ESP32 at 0x00010000 on the Web Serial port`);
      expect(r.text).toContain(stub ? 'MD5 verified through the flasher stub' : 'MD5 verified through the ROM loader');
      expect(Buffer.from(sim.flash.read(0x10000, img.bytes.length)).equals(Buffer.from(img.bytes))).toBe(true);
      expect(sim.counters.baudChanges).toBe(1);
      expect(r.bridge.opens).toEqual([115200, 460800]); // Web Serial changes baud by reopening the port
      expect(sim.mode).toBe('application'); // reset into the application afterwards
      expect(r.problems).toEqual([]);
      await r.page.close();
    } finally {
      sim.stop();
    }
  });

  it('the firmware made for the model (stm32f746g-disco): code and signed slot A flashed in one go, each where the slot layout puts it', async () => {
    const sim = new Stm32BootloaderSim({ pid: 0x449 });
    try {
      const { w, bridge, code, slot, text } = await makeAndFlash(sim, 'stm32f746g-disco');
      expect(text).toMatch(/^flashed \d+ bytes to the STM32F7.* at 0x08000000 on the Web Serial port, verified by read-back/);
      const slotA = slotRegions('stm32f746g-disco').slots[0];
      expect(Buffer.from(sim.flash.read(0x0800_0000, code.length)).equals(code)).toBe(true);
      expect(Buffer.from(sim.flash.read(slotA, slot.length)).equals(slot)).toBe(true);
      expect(bridge.opens).toEqual([115200]);
      expect(w.problems).toEqual([]);
      await w.page.close();
    } finally {
      sim.stop();
    }
  }, 400_000);

  it('the firmware made for the model (esp32-c3-devkitm): the sealed ESP image at 0x0 and slot A at 0x200000, in one session', async () => {
    const sim = new Esp32RomSim({ chip: 'ESP32-C3', wiring: 'classic' });
    try {
      const { w, code, slot, text } = await makeAndFlash(sim, 'esp32-c3-devkitm');
      expect(text).toMatch(/^flashed \d+ bytes to the ESP32-C3 \(firmware\.bin at 0x00000000, model-slot-a\.bin at 0x00200000\) on the Web Serial port .*MD5 verified/);
      expect(code[0]).toBe(0xe9);
      expect(Buffer.from(sim.flash.read(0, code.length)).equals(code)).toBe(true);
      expect(Buffer.from(sim.flash.read(0x200000, slot.length)).equals(slot)).toBe(true);
      expect(w.problems).toEqual([]);
      await w.page.close();
    } finally {
      sim.stop();
    }
  }, 400_000);

  it('a board that never answers: data-status="error" and the message says so', async () => {
    const sim = new Stm32BootloaderSim({ pid: 0x470, wiring: 'dtr-reset-rts-boot0' }); // runs its application
    const img = firmware('app2.bin', 100, 5);
    try {
      const r = await flashInPage(sim, 'nucleo-l4r5zi', img.path);
      expect(r.status).toBe('error');
      expect(r.text).toMatch(/no answer to the bootloader handshake/);
      await r.page.close();
    } finally {
      sim.stop();
    }
  });
});
