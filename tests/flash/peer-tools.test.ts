// The simulators must speak the protocols real chips speak: real, independent flashing tools (Debian's
// stm32flash, Espressif's esptool-js) write and verify images through them over real pseudo-terminals,
// and so does tinyforge's own flasher.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ESPLoader, Transport } from 'esptool-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flashEsp32 } from '../../targets/flash/esp32/flash-esp32.ts';
import { SerialLink } from '../../targets/flash/serial-link.ts';
import { Esp32RomSim } from '../../targets/flash/sim/esp32-rom-sim.ts';
import { SimBinding } from '../../targets/flash/sim/sim-binding.ts';
import { Stm32BootloaderSim } from '../../targets/flash/sim/stm32-bootloader-sim.ts';
import { flashStm32 } from '../../targets/flash/stm32/flash-stm32.ts';
import { NodeWebSerialPort } from './node-web-serial-port.ts';
import { withPty } from './sim-on-pty.ts';
import { requireTool } from './required-tool.ts';

const run = promisify(execFile);
let dir: string;

beforeAll(() => {
  requireTool('socat');
  requireTool('stm32flash');
  dir = mkdtempSync(join(tmpdir(), 'tinyforge-flash-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function image(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed + (i >> 7)) & 0xff);
}

describe('stm32flash (Debian) against the simulated STM32 bootloader on a pty', () => {
  it.each([
    { pid: 0x410, label: 'bluepill (F103, id 0x410, Erase 0x43)' },
    { pid: 0x470, label: 'NUCLEO-L4R5ZI (L4R5, id 0x470, Extended Erase 0x44)' },
  ])('writes, verifies and reads back an image on a $label', async ({ pid }) => {
    await withPty(new Stm32BootloaderSim({ pid }), async (pty, sim) => {
      const img = image(5000, pid);
      const file = join(dir, `fw-${pid}.bin`);
      writeFileSync(file, img);
      // A pty cannot do even parity, hence -m 8n1.
      const write = await run('stm32flash', ['-m', '8n1', '-b', '115200', '-w', file, '-v', '-S', '0x08000000', pty.hostPath], { timeout: 60_000 });
      expect(write.stdout).toMatch(/Wrote and verified address 0x08001388 \(100\.00%\) Done\./);
      expect(Buffer.compare(sim.flash.read(0x0800_0000, img.length), img)).toBe(0);

      const back = join(dir, `back-${pid}.bin`);
      await run('stm32flash', ['-m', '8n1', '-r', back, '-S', `0x08000000:${img.length}`, pty.hostPath], { timeout: 60_000 });
      expect(Buffer.compare(readFileSync(back), img)).toBe(0);
    });
  });

  it('reads back what tinyforge wrote', async () => {
    await withPty(new Stm32BootloaderSim({ pid: 0x449 }), async (pty) => {
      const img = image(3000, 9);
      const link = await SerialLink.open({ path: pty.hostPath, baudRate: 115200, serialMode: '8n1' });
      try {
        await flashStm32(link, img, {});
      } finally {
        await link.close();
      }
      const back = join(dir, 'back-tinyforge.bin');
      await run('stm32flash', ['-m', '8n1', '-r', back, '-S', `0x08000000:${img.length}`, pty.hostPath], { timeout: 60_000 });
      expect(Buffer.compare(readFileSync(back), img)).toBe(0);
    });
  });
});

describe('esptool-js against the simulated ESP32 ROM', () => {
  async function writeWithEsptool(port: NodeWebSerialPort, before: 'default_reset' | 'no_reset', img: Uint8Array): Promise<{ chip: string; md5: string; log: string }> {
    const transport = new Transport(port as unknown as ConstructorParameters<typeof Transport>[0], false);
    const lines: string[] = [];
    const terminal = { clean() {}, writeLine: (s: string) => lines.push(s), write: (s: string) => lines.push(s) };
    const loader = new ESPLoader({ transport, baudrate: 115200, terminal });
    try {
      await loader.connect(before);
      // esptool talks to the ROM without its flasher stub here, so it attaches SPI flash itself, as esptool.py does.
      await loader.flashSpiAttach(0);
      await loader.writeFlash({ fileArray: [{ data: img, address: 0x10000 }], flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true });
      // The ROM answers MD5 as 32 ASCII hex characters; esptool-js hex-encodes those bytes once more.
      const md5 = Buffer.from(await loader.flashMd5sum(0x10000, img.length), 'hex').toString('latin1');
      return { chip: loader.chip.CHIP_NAME, md5, log: lines.join('\n') };
    } finally {
      await transport.disconnect();
    }
  }

  it('syncs, detects the chip, writes compressed and verifies MD5 over a pty', async () => {
    await withPty(new Esp32RomSim({ chip: 'ESP32' }), async (pty, sim) => {
      const img = image(60_000, 5).map((b, i) => (i % 3 === 0 ? 0 : b));
      const r = await writeWithEsptool(new NodeWebSerialPort(pty.hostPath), 'no_reset', img);
      expect(r.chip).toBe('ESP32');
      expect(r.log).toMatch(/Compressed 60000 bytes to \d+/);
      expect(r.md5).toBe(createHash('md5').update(img).digest('hex'));
      expect(Buffer.compare(sim.flash.read(0x10000, img.length), img)).toBe(0);
    });
  });

  it("resets the simulated board into download mode with esptool's own DTR/RTS sequence", async () => {
    const sim = new Esp32RomSim({ chip: 'ESP32', wiring: 'classic' });
    const binding = new SimBinding();
    binding.attach('/dev/ttyUSB0', sim);
    expect(sim.mode).toBe('application');
    const img = image(8000, 6);
    const r = await writeWithEsptool(new NodeWebSerialPort('/dev/ttyUSB0', binding), 'default_reset', img);
    expect(r.md5).toBe(createHash('md5').update(img).digest('hex'));
    expect(sim.counters.resets).toBeGreaterThanOrEqual(1);
    sim.stop();
  });

  it('tinyforge writes through the same pty path', async () => {
    await withPty(new Esp32RomSim({ chip: 'ESP32-S3' }), async (pty, sim) => {
      const img = image(30_000, 8);
      const link = await SerialLink.open({ path: pty.hostPath, baudRate: 115200, serialMode: '8n1' });
      try {
        const r = await flashEsp32(link, img, { address: 0x10000, resetMode: 'none', expectedChip: 'ESP32-S3' });
        expect(r.chip.name).toBe('ESP32-S3');
      } finally {
        await link.close();
      }
      expect(Buffer.compare(sim.flash.read(0x10000, img.length), img)).toBe(0);
    });
  });
});
