// The Web Serial transport (the playground's) runs the same STM32 and ESP32 protocol code as the CLI's serialport
// transport: here over a Web-Serial-shaped port (node-web-serial-port.ts) on the in-process simulated bootloaders,
// DTR/RTS reset wiring and a baud change (close and reopen) included.
import { afterEach, describe, expect, it } from 'vitest';
import { flashEsp32 } from '../../targets/flash/esp32/flash-esp32.ts';
import { FlashError } from '../../targets/flash/flash-error.ts';
import { Esp32RomSim } from '../../targets/flash/sim/esp32-rom-sim.ts';
import { SimBinding } from '../../targets/flash/sim/sim-binding.ts';
import { Stm32BootloaderSim } from '../../targets/flash/sim/stm32-bootloader-sim.ts';
import { flashStm32 } from '../../targets/flash/stm32/flash-stm32.ts';
import { WebSerialLink } from '../../targets/flash/web-serial-link.ts';
import { NodeWebSerialPort } from './node-web-serial-port.ts';

const open: { sim: { stop(): void }; link: WebSerialLink }[] = [];
afterEach(async () => {
  for (const { sim, link } of open.splice(0)) {
    await link.close();
    sim.stop();
  }
});

async function linkTo(sim: Stm32BootloaderSim | Esp32RomSim, serialMode: '8e1' | '8n1'): Promise<WebSerialLink> {
  const binding = new SimBinding();
  binding.attach('/dev/ttyWEB0', sim);
  const link = await WebSerialLink.open(new NodeWebSerialPort('/dev/ttyWEB0', binding) as never, { baudRate: 115200, serialMode, name: 'web serial 0' });
  open.push({ sim, link });
  return link;
}

const image = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + (i >> 7)) & 0xff);

describe('WebSerialLink', () => {
  it('flashes and verifies an STM32 through its ROM bootloader, reset into it by DTR/RTS', async () => {
    const sim = new Stm32BootloaderSim({ pid: 0x470, wiring: 'dtr-reset-rts-boot0' }); // STM32L4R5 (nucleo-l4r5zi)
    const link = await linkTo(sim, '8e1');
    const img = image(6000);
    const r = await flashStm32(link, img, { resetMode: 'dtr-reset-rts-boot0', run: true, expectedPids: [0x470] });
    expect(r.verified).toBe(true);
    expect(r.chip.name).toMatch(/STM32L4R/);
    expect(Buffer.compare(Buffer.from(sim.flash.read(r.address, img.length)), Buffer.from(img))).toBe(0);
    expect(sim.mode).toBe('application');
    expect(link.stats.bytesSent).toBeGreaterThan(img.length);
  });

  it('flashes an ESP32 through its ROM loader, changing the baud rate by reopening the port', async () => {
    const sim = new Esp32RomSim({ chip: 'ESP32', wiring: 'classic' });
    const link = await linkTo(sim, '8n1');
    const img = image(20_000);
    const r = await flashEsp32(link, img, { address: 0x10000, resetMode: 'classic', baudRate: 460800, stub: false, run: true });
    expect(r.verified).toBe(true);
    expect(link.baudRate).toBe(460800);
    expect(sim.counters.baudChanges).toBe(1); // (the hard reset after it brings the ROM back to 115200)
    expect(Buffer.compare(Buffer.from(sim.flash.read(0x10000, img.length)), Buffer.from(img))).toBe(0);
  });

  it('names the port and the way out when the device never answers', async () => {
    const sim = new Stm32BootloaderSim({ pid: 0x470, wiring: 'dtr-reset-rts-boot0' }); // runs its application
    const link = await linkTo(sim, '8e1');
    const err = (await flashStm32(link, image(100), { resetMode: 'none', client: { timeouts: { syncMs: 30 } } as never }).catch((e: unknown) => e)) as FlashError;
    expect(err).toBeInstanceOf(FlashError);
    expect(err.code).toBe('NO_ANSWER');
  });
});
