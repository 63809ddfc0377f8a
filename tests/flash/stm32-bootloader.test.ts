// tinyforge's AN3155 client against the simulated STM32 bootloader, through the in-process serial binding
// (which, unlike a pty, carries DTR/RTS to the simulated NRST/BOOT0 pins).
import { afterEach, describe, expect, it } from 'vitest';
import { FlashError } from '../../targets/flash/flash-error.ts';
import { SerialLink } from '../../targets/flash/serial-link.ts';
import { FlashMemory } from '../../targets/flash/sim/flash-memory.ts';
import { SimBinding } from '../../targets/flash/sim/sim-binding.ts';
import { Stm32BootloaderSim, type Stm32SimOptions } from '../../targets/flash/sim/stm32-bootloader-sim.ts';
import { addressFrame, commandFrame, dataFrame, extendedErasePagesFrame, xorChecksum } from '../../targets/flash/stm32/an3155-codec.ts';
import { sectorsCovering, stm32ChipById } from '../../targets/flash/stm32/chip-ids.ts';
import { flashStm32, type Stm32FlashOptions } from '../../targets/flash/stm32/flash-stm32.ts';
import { Stm32BootloaderClient } from '../../targets/flash/stm32/stm32-bootloader-client.ts';

const FAST = { timeouts: { syncMs: 40, ackMs: 150, writeMs: 200, eraseBaseMs: 300, erasePerSectorMs: 20, massEraseMs: 1000 } };
const open: { sim: Stm32BootloaderSim; link: SerialLink }[] = [];

async function board(options: Stm32SimOptions): Promise<{ sim: Stm32BootloaderSim; link: SerialLink }> {
  const sim = new Stm32BootloaderSim(options);
  const binding = new SimBinding();
  binding.attach('/dev/ttySIM0', sim);
  const link = await SerialLink.open({ path: '/dev/ttySIM0', baudRate: 115200, serialMode: '8e1', binding });
  open.push({ sim, link });
  return { sim, link };
}

function image(n: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 17 + (i >> 8)) & 0xff);
}

afterEach(async () => {
  for (const { sim, link } of open.splice(0)) {
    await link.close();
    sim.stop();
  }
});

describe('AN3155 framing', () => {
  it('sends each command with its complement and checksums addresses and data by XOR', () => {
    expect([...commandFrame(0x31)]).toEqual([0x31, 0xce]);
    expect([...addressFrame(0x0800_0100)]).toEqual([0x08, 0x00, 0x01, 0x00, 0x09]);
    expect([...dataFrame(Uint8Array.of(1, 2, 3, 4))]).toEqual([3, 1, 2, 3, 4, 3 ^ 1 ^ 2 ^ 3 ^ 4]);
    expect([...extendedErasePagesFrame([0, 1])]).toEqual([0, 1, 0, 0, 0, 1, 0 ^ 1 ^ 0 ^ 0 ^ 0 ^ 1]);
    expect(xorChecksum([0xff, 0x0f], 0)).toBe(0xf0);
  });

  it('maps an image to exactly the pages or sectors it covers', () => {
    const f746 = stm32ChipById(0x449)!;
    // Sectors 0-3 are 32 KB, sector 4 is 128 KB: 40 KB at the base spans sectors 0 and 1.
    expect(sectorsCovering(f746, 0x0800_0000, 40 * 1024)).toEqual([0, 1]);
    expect(sectorsCovering(f746, 0x0802_0000, 1)).toEqual([4]);
    const bluepill = stm32ChipById(0x410)!;
    expect(sectorsCovering(bluepill, 0x0800_0400, 2049)).toEqual([1, 2, 3]);
  });
});

describe('flash memory model', () => {
  it('erases whole sectors to 0xFF and programs by clearing bits only', () => {
    const flash = new FlashMemory(0x1000, [16, 16]);
    flash.program(0x1000, Uint8Array.of(0xf0, 0x0f));
    flash.program(0x1000, Uint8Array.of(0x3c, 0xff));
    expect([...flash.read(0x1000, 2)]).toEqual([0x30, 0x0f]);
    flash.eraseSector(0);
    expect([...flash.read(0x1000, 2)]).toEqual([0xff, 0xff]);
    expect(flash.sectorAt(0x1010)).toBe(1);
    expect(flash.sectorAt(0x1020)).toBe(-1);
  });
});

describe('STM32 bootloader client against the simulator', () => {
  it('identifies the chip and the commands its bootloader offers', async () => {
    const { link } = await board({ pid: 0x470 });
    const client = new Stm32BootloaderClient(link, FAST);
    const info = await client.connect();
    expect(info.pid).toBe(0x470);
    expect(info.version).toBe(0x31);
    expect(info.commands).toContain(0x44); // L4 bootloaders erase with Extended Erase
    expect((await client.getVersion()).version).toBe(0x31);
  });

  it.each([
    { pid: 0x410, how: 'F103 (0x410) with Erase (0x43)' },
    { pid: 0x470, how: 'L4R5 (0x470) with Extended Erase (0x44)' },
    { pid: 0x449, how: 'F746 (0x449) with Extended Erase over mixed-size sectors' },
  ])('writes and verifies an image on an $how', async ({ pid }) => {
    const { sim, link } = await board({ pid });
    const img = image(3001);
    // Stale contents in a page the image covers must not survive: the flasher erases before it writes.
    sim.flash.program(0x0800_0000 + 2900, new Uint8Array(64));
    const result = await flashStm32(link, img, { client: FAST });
    expect(result.chip.pid).toBe(pid);
    expect(result.verified).toBe(true);
    expect(Buffer.compare(sim.flash.read(0x0800_0000, img.length), img)).toBe(0);
    // Bytes after the image in the last page are erased, not left over.
    expect(sim.flash.read(0x0800_0000 + 3001, 3).every((b) => b === 0xff)).toBe(true);
  });

  it('re-syncs with a bootloader left mid-command by an interrupted session', async () => {
    const { sim, link } = await board({ pid: 0x410 });
    const client = new Stm32BootloaderClient(link, FAST);
    await client.connect();
    // Start a Write Memory and abandon it in the data phase, like a flasher killed mid-block.
    await link.write(commandFrame(0x31));
    await link.write(addressFrame(0x0800_0000));
    await link.write(Uint8Array.of(255, 1, 2, 3));
    await new Promise((r) => setTimeout(r, 30));
    const img = image(1024, 3);
    await flashStm32(link, img, { client: FAST });
    expect(Buffer.compare(sim.flash.read(0x0800_0000, img.length), img)).toBe(0);
  });

  it('enters the bootloader through DTR/RTS and resets into the application afterwards', async () => {
    const { sim, link } = await board({ pid: 0x410, wiring: 'dtr-reset-rts-boot0' });
    expect(sim.mode).toBe('application');
    const img = image(600);
    await flashStm32(link, img, { resetMode: 'dtr-reset-rts-boot0', run: true, client: FAST });
    expect(Buffer.compare(sim.flash.read(0x0800_0000, img.length), img)).toBe(0);
    expect(sim.mode).toBe('application');
    expect(sim.counters.resets).toBe(4); // reset pulse into the bootloader, reset pulse into the application
  });

  it('mass-erases, and starts the application with Go', async () => {
    const { sim, link } = await board({ pid: 0x449 });
    sim.flash.program(0x080f_0000, Uint8Array.of(0));
    const client = new Stm32BootloaderClient(link, FAST);
    await client.connect();
    await client.massErase();
    expect(sim.flash.read(0x080f_0000, 1)[0]).toBe(0xff);
    await client.go(0x0800_0000);
    expect(sim.mode).toBe('application');
    expect(sim.counters.goes).toBe(1);
  });

  it('works with the other common wiring (RTS to NRST, DTR to BOOT0)', async () => {
    const { sim, link } = await board({ pid: 0x470, wiring: 'rts-reset-dtr-boot0' });
    const img = image(900, 7);
    await flashStm32(link, img, { resetMode: 'rts-reset-dtr-boot0', run: true, client: FAST });
    expect(Buffer.compare(sim.flash.read(0x0800_0000, img.length), img)).toBe(0);
    expect(sim.mode).toBe('application');
  });

  it('gets no answer when the reset wiring is not the one the board has', async () => {
    const { sim, link } = await board({ pid: 0x410, wiring: 'rts-reset-dtr-boot0' });
    const err = await flashStm32(link, image(64), { resetMode: 'dtr-reset-rts-boot0', client: FAST }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlashError);
    expect((err as FlashError).code).toBe('NO_ANSWER');
    expect(sim.mode).toBe('application');
  });

  it('refuses a chip the board does not carry before erasing anything', async () => {
    const { sim, link } = await board({ pid: 0x449 });
    sim.flash.program(0x0800_0000, Uint8Array.of(0x12));
    const err = (await flashStm32(link, image(64), { expectedPids: [0x410], client: FAST }).catch((e: unknown) => e)) as FlashError;
    expect(err.code).toBe('CHIP_MISMATCH');
    expect(err.message).toMatch(/STM32F74x.*0x410/);
    expect(sim.flash.read(0x0800_0000, 1)[0]).toBe(0x12);
  });

  it('reports write protection, and lifts it with Write Unprotect when asked', async () => {
    const { sim, link } = await board({ pid: 0x410, writeProtected: true });
    const img = image(512);
    const err = (await flashStm32(link, img, { client: FAST }).catch((e: unknown) => e)) as FlashError;
    expect(err.code).toBe('WRITE_PROTECTED');
    await flashStm32(link, img, { unprotect: true, client: FAST });
    expect(sim.writeProtected).toBe(false);
    expect(Buffer.compare(sim.flash.read(0x0800_0000, img.length), img)).toBe(0);
  });

  it('reports read protection, and lifts it (mass erase) with Readout Unprotect when asked', async () => {
    const { sim, link } = await board({ pid: 0x470, readoutProtected: true });
    sim.flash.program(0x0810_0000, Uint8Array.of(0)); // far from the image: only a mass erase clears it
    const img = image(700);
    const err = (await flashStm32(link, img, { client: FAST }).catch((e: unknown) => e)) as FlashError;
    expect(err.code).toBe('READ_PROTECTED');
    await flashStm32(link, img, { unprotect: true, client: FAST });
    expect(sim.readoutProtected).toBe(false);
    expect(sim.flash.read(0x0810_0000, 1)[0]).toBe(0xff);
    expect(Buffer.compare(sim.flash.read(0x0800_0000, img.length), img)).toBe(0);
  });

  it('sends no Write Memory for a 256-byte block of 0xFF (already erased), and still verifies it', async () => {
    const { sim, link } = await board({ pid: 0x410 });
    // Code, an erased gap of 8 blocks, then data: a slot firmware and its model slot in one image.
    const img = new Uint8Array(10 * 256).fill(0xff);
    img.set(image(256, 2), 0);
    img.set(image(256, 3), 9 * 256);
    const commands = sim.counters.commands;
    await flashStm32(link, img, { client: FAST });
    const full = sim.counters.commands - commands;
    expect(Buffer.from(sim.flash.read(0x0800_0000, img.length)).equals(Buffer.from(img))).toBe(true);
    // The same image flashed whole would be 8 Write Memory commands more; the 10 Read Memory of the verify stay.
    const again = await board({ pid: 0x410 });
    const dense = img.map((b) => (b === 0xff ? 0xfe : b));
    const before = again.sim.counters.commands;
    await flashStm32(again.link, dense, { client: FAST });
    expect(again.sim.counters.commands - before - full).toBe(8);
  });

  it('names the first differing address when the read-back does not match', async () => {
    const { sim, link } = await board({ pid: 0x410 });
    sim.flash.stuckLow(0x0800_0123, 0x80); // a worn cell
    const img = new Uint8Array(1000).fill(0xa5);
    const err = (await flashStm32(link, img, { client: FAST }).catch((e: unknown) => e)) as FlashError;
    expect(err.code).toBe('VERIFY_MISMATCH');
    expect(err.address).toBe(0x0800_0123);
    expect(err.message).toContain('0x08000123');
  });

  it('refuses an image that does not fit the chip', async () => {
    const { link } = await board({ pid: 0x410 });
    const options: Stm32FlashOptions = { address: 0x0801_ff00, client: FAST };
    const err = (await flashStm32(link, image(512), options).catch((e: unknown) => e)) as FlashError;
    expect(err.code).toBe('IMAGE');
  });
});
