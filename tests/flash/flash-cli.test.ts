// `tinyforge flash` and `tinyforge ports` as a user runs them: real ptys served by the simulators (or the
// in-process binding where DTR/RTS matter), exit codes, and one actionable line on stderr.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import intelHex from 'nrf-intel-hex';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as flash } from '../../cli/commands/flash.ts';
import { listPorts } from '../../cli/commands/ports.ts';
import { Esp32RomSim } from '../../targets/flash/sim/esp32-rom-sim.ts';
import { createPtyPair } from '../../targets/flash/sim/pty-pair.ts';
import { serveOnPty } from '../../targets/flash/sim/pty-endpoint.ts';
import { SimBinding } from '../../targets/flash/sim/sim-binding.ts';
import { Stm32BootloaderSim } from '../../targets/flash/sim/stm32-bootloader-sim.ts';
import { buildElf32 } from './elf32-builder.ts';
import { requireTool } from './required-tool.ts';
import { captureConsole } from './sim-on-pty.ts';

const MemoryMap = ((intelHex as unknown as { default?: typeof intelHex.default }).default ?? intelHex) as typeof intelHex.default;
const dir = mkdtempSync(join(tmpdir(), 'tinyforge-cli-flash-'));
let out: string[];
let err: string[];

beforeAll(() => requireTool('socat'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function capture(): void {
  ({ out, err } = captureConsole());
}

function image(n: number, seed = 3): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 97 + seed + (i >> 9)) & 0xff);
}

function file(name: string, data: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

describe('tinyforge flash on a pty', () => {
  it('flashes a .bin to a bluepill and says it was verified', async () => {
    const sim = new Stm32BootloaderSim({ pid: 0x410 });
    const pty = await serveOnPty(sim);
    try {
      const img = image(4096);
      capture();
      const code = await flash([file('app.bin', img), '--board', 'bluepill', '--port', pty.hostPath, '--serial-mode', '8n1']);
      expect(err).toEqual([]);
      expect(code).toBe(0);
      expect(out.join('\n')).toMatch(/flashed 4096 bytes to the STM32F10x medium-density at 0x08000000 .* verified by read-back/);
      expect(Buffer.compare(sim.flash.read(0x0800_0000, img.length), img)).toBe(0);
    } finally {
      await pty.close();
      sim.stop();
    }
  });

  it('flashes a .hex at its own address and an .elf at its load addresses', async () => {
    const sim = new Stm32BootloaderSim({ pid: 0x470 });
    const pty = await serveOnPty(sim);
    try {
      const hex = new MemoryMap({ 0x0800_4000: image(1000, 1) }).asHexString();
      capture();
      expect(await flash([file('app.hex', hex), '--board', 'nucleo-l4r5zi', '--port', pty.hostPath, '--serial-mode', '8n1'])).toBe(0);
      expect(Buffer.compare(sim.flash.read(0x0800_4000, 1000), image(1000, 1))).toBe(0);

      const elf = buildElf32([
        { paddr: 0x0800_8000, bytes: image(700, 2) },
        { paddr: 0x0800_8000 + 700, vaddr: 0x2000_0000, bytes: image(40, 4) },
      ]);
      expect(await flash([file('app.elf', elf), '--board', 'nucleo-l4r5zi', '--port', pty.hostPath, '--serial-mode', '8n1'])).toBe(0);
      expect(Buffer.compare(sim.flash.read(0x0800_8000, 700), image(700, 2))).toBe(0);
      expect(Buffer.compare(sim.flash.read(0x0800_8000 + 700, 40), image(40, 4))).toBe(0);
    } finally {
      await pty.close();
      sim.stop();
    }
  });

  it.each([
    { flags: [], stub: true, via: 'through the flasher stub' },
    { flags: ['--no-stub'], stub: false, via: 'through the ROM loader' },
  ])('flashes an ESP32-C3 board $via ($flags), raising the baud rate on the way', async ({ flags, stub, via }) => {
    const sim = new Esp32RomSim({ chip: 'ESP32-C3' });
    const pty = await serveOnPty(sim);
    try {
      const img = image(50_000).map((b, i) => (i % 4 === 0 ? b : 0));
      capture();
      const code = await flash([file('c3.bin', img), '--board', 'esp32-c3-devkitm', '--port', pty.hostPath, '--reset-mode', 'none', ...flags]);
      expect(err).toEqual([]);
      expect(code).toBe(0);
      expect(out.join('\n')).toMatch(/flashed 50000 bytes to the ESP32-C3 at 0x00010000 .*MD5 verified/);
      expect(out.join('\n')).toContain(via);
      expect(sim.stub).toBe(stub);
      expect(sim.counters.baudChanges).toBe(1); // the board's 460800
      expect(Buffer.compare(sim.flash.read(0x10000, img.length), img)).toBe(0);
    } finally {
      await pty.close();
      sim.stop();
    }
  });

  it('explains a silent port: which port and baud, how to enter the bootloader, --baud 115200', async () => {
    const pair = await createPtyPair(); // nothing answers on the other end
    try {
      capture();
      const code = await flash([file('x.bin', image(64)), '--board', 'bluepill', '--port', pair.hostPath, '--serial-mode', '8n1']);
      expect(code).toBe(1);
      expect(err).toHaveLength(1);
      expect(err[0]).toContain(pair.hostPath);
      expect(err[0]).toContain('115200 baud');
      expect(err[0]).toContain('set the BOOT0 jumper to 1, press RESET');
      expect(err[0]).toContain('--baud 115200');
    } finally {
      await pair.close();
    }
  });

  it('ends with a clean error and a non-zero exit when the port vanishes mid-flash', async () => {
    const sim = new Stm32BootloaderSim({ pid: 0x410 });
    const pty = await serveOnPty(sim);
    sim.setFaults([{ kind: 'disconnect', direction: 'toDevice', atByte: 3000 }]); // in the middle of the writes
    try {
      capture();
      const code = await flash([file('y.bin', image(8000)), '--board', 'bluepill', '--port', pty.hostPath, '--serial-mode', '8n1']);
      expect(code).toBe(1);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(new RegExp(`the serial port ${pty.hostPath} went away mid-session`));
    } finally {
      await pty.close();
      sim.stop();
    }
  });
});

describe('tinyforge flash with DTR/RTS (in-process binding)', () => {
  it('resets an ESP32 DevKitC into download mode and back into its application', async () => {
    const sim = new Esp32RomSim({ chip: 'ESP32', wiring: 'classic' });
    const binding = new SimBinding();
    binding.attach('/dev/ttyUSB0', sim);
    capture();
    const img = image(12_000);
    const code = await flash([file('e.bin', img), '--board', 'esp32-devkitc', '--port', '/dev/ttyUSB0', '--no-compress'], { binding });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(sim.mode).toBe('application');
    expect(Buffer.compare(sim.flash.read(0x10000, img.length), img)).toBe(0);
    sim.stop();
  });

  it('says which option unlocks a write-protected STM32, and unlocks it', async () => {
    const sim = new Stm32BootloaderSim({ pid: 0x410, writeProtected: true });
    const binding = new SimBinding();
    binding.attach('/dev/ttyUSB1', sim);
    const args = [file('p.bin', image(300)), '--board', 'bluepill', '--port', '/dev/ttyUSB1'];
    capture();
    expect(await flash(args, { binding })).toBe(1);
    expect(err[0]).toMatch(/write-protected\. Rerun with --unprotect \(sends Write Unprotect 0x73/);
    capture();
    expect(await flash([...args, '--unprotect'], { binding })).toBe(0);
    sim.stop();
  });

  it('names the first differing address when verification fails, and exits non-zero', async () => {
    const sim = new Stm32BootloaderSim({ pid: 0x410 });
    sim.flash.stuckLow(0x0800_0042, 0x04);
    const binding = new SimBinding();
    binding.attach('/dev/ttyUSB2', sim);
    capture();
    expect(await flash([file('v.bin', new Uint8Array(256).fill(0xff)), '--board', 'bluepill', '--port', '/dev/ttyUSB2'], { binding })).toBe(1);
    expect(err[0]).toMatch(/first differing byte is at 0x08000042/);
    sim.stop();
  });
});

describe('tinyforge flash options', () => {
  it.each([
    [['a.bin', '--port', '/dev/x'], /--board <id> \(or --board-file <file.json>\) is required; boards that flash \(serial ROM bootloader or SWD probe\): bluepill/, 64],
    [['a.bin', '--board', 'bluepill', '--port', '/dev/x', '--baud', 'fast'], /--baud: expected a decimal number or hex like 0x08000000, got 'fast'/, 64],
    [['a.bin', '--board', 'bluepill', '--port', '/dev/x', '--serial-mode', '7o2'], /--serial-mode/, 64],
    [['a.bin', '--board', 'bluepill', '--port', '/dev/x', '--frobnicate'], /Unknown option '--frobnicate'/, 64],
    [['a.bin', '--board', 'bluepill'], /--port <path> \(or --ports GLOB\) is required/, 64],
    [['a.bin', '--board', 'bluepill', '--probe', 'jtag'], /--probe/, 64],
    [['a.bin', '--board', 'nrf52840-dk', '--port', '/dev/x'], /--port is for the serial ROM bootloader, not --probe openocd/, 64],
    [['a.bin', '--board', 'nrf52840-dk', '--probe', 'serial', '--port', '/dev/x'], /board 'nrf52840-dk' has no serial ROM bootloader tinyforge knows; flash it over SWD: --probe openocd/, 64],
    [['a.bin', '--board', 'esp32-devkitc', '--probe', 'openocd'], /board 'esp32-devkitc' has no OpenOCD config in tinyforge; give one with --openocd-config/, 64],
    [['a.bin', '--board', 'nrf52840-dk', '--probe-speed', '0'], /--probe-speed: probe speed below 1 kHz/, 64],
    [['a.bin', '--board', 'no-such-board', '--port', '/dev/x'], /unknown board 'no-such-board'; boards that flash \(serial ROM bootloader or SWD probe\): bluepill/, 64],
    [['a.bin', '--board', 'qemu-mps2-an386', '--port', '/dev/x'], /board 'qemu-mps2-an386' can simulate, build, run, export, not flash; boards that flash \(serial ROM bootloader or SWD probe\): bluepill/, 64],
  ])('%j is refused with a clear message', async (args, message, exit) => {
    capture();
    expect(await flash(args as string[])).toBe(exit);
    expect(err.join('\n')).toMatch(message);
  });

  it('refuses a reset mode of the other family and an ELF for an ESP32', async () => {
    const bin = file('z.bin', image(16));
    capture();
    expect(await flash([bin, '--board', 'esp32-devkitc', '--port', '/dev/x', '--reset-mode', 'dtr-reset-rts-boot0'])).toBe(1);
    expect(err[0]).toMatch(/not a ESP32 reset mode; use one of classic, none/);
    const elf = file('z.elf', buildElf32([{ paddr: 0x10000, bytes: image(16) }]));
    capture();
    expect(await flash([elf, '--board', 'esp32-devkitc', '--port', '/dev/x'])).toBe(1);
    expect(err[0]).toMatch(/esptool elf2image/);
  });

  it('names the port it cannot open', async () => {
    capture();
    expect(await flash([file('q.bin', image(16)), '--board', 'bluepill', '--port', join(dir, 'ttyNOPE')])).toBe(1);
    expect(err[0]).toMatch(/cannot open .*ttyNOPE/);
  });
});

describe('tinyforge ports', () => {
  it('does not crash where udevadm is missing (serialport would spawn it)', async () => {
    const bin = join(dir, 'bin-without-udevadm');
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = await promisify(execFile)(process.execPath, ['bin/tinyforge.js', 'ports'], { env: { ...process.env, PATH: bin }, timeout: 60_000 });
    expect(r.stderr).toContain('udevadm not found');
    expect(r.stdout.length).toBeGreaterThan(0);
  });

  it('lists through serialport where udevadm exists, without throwing', async () => {
    const { ports } = await listPorts();
    expect(Array.isArray(ports)).toBe(true);
  });
});
