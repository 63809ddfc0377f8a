// The SWD path against Debian's real OpenOCD 0.12: with the nRF52840 DK's config and no probe attached, and
// with OpenOCD's `dummy` adapter driver (JTAG, an arm7tdmi target it cannot really see, and OpenOCD's `faux`
// flash bank) — enough for the whole process start / ready / GDB / vFlash / shutdown path. The dummy target
// reads back all ones, so a verifying flash must fail on the first byte: tinyforge never reports a write
// the device does not hold. No test may leave an openocd behind.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GdbRemote } from '../../targets/flash/gdb/gdb-remote-client.ts';
import { eraseRanges } from '../../targets/flash/gdb/load-over-gdb.ts';
import { OpenOcdServer } from '../../targets/flash/openocd/openocd-server.ts';
import { repoRoot, tinyforge } from '../cli/run-cli.ts';
import { buildElf32 } from './elf32-builder.ts';
import { requireTool } from './required-tool.ts';

const dir = mkdtempSync(join(tmpdir(), 'tf-openocd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => requireTool('openocd'));

/** A config only this test uses (its path tells our openocd processes from anyone else's). */
function dummyConfig(name: string, extra = '', targetOptions = ''): string {
  const path = join(dir, `${name}.cfg`);
  writeFileSync(path, [
    'adapter driver dummy', 'adapter speed 1000', 'transport select jtag', 'reset_config srst_only',
    'jtag newtap chip cpu -irlen 4 -expected-id 0', `target create chip.cpu arm7tdmi -chain-position chip.cpu${targetOptions}`,
    // the nRF52840's flash range, in 64 KiB blocks (faux's sector size)
    'flash bank chip.flash faux 0x00000000 0x100000 0 0 chip.cpu', extra, '',
  ].join('\n'));
  return path;
}

/** openocd processes whose command line mentions `marker`. */
function openocdsWith(marker: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${p}/cmdline`, 'latin1');
    } catch {
      continue;
    }
    if (cmd.startsWith('openocd\0') || cmd.includes('/openocd\0')) if (cmd.includes(marker)) pids.push(Number(p));
  }
  return pids;
}

const image = join(dir, 'app.bin');
writeFileSync(image, Uint8Array.from({ length: 3000 }, (_, i) => (i * 7 + 1) & 0x7f));

describe('OpenOCD (Debian 0.12) started by tinyforge', () => {
  it('nrf52840-dk with no probe attached: one message naming the board, the probe, OpenOCD\'s error and the way out', () => {
    const t0 = Date.now();
    const r = tinyforge(['flash', image, '--board', 'nrf52840-dk'], { timeoutMs: 30_000 });
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tinyforge flash: OpenOCD could not reach the nrf52840-dk's debug probe \(the DK's on-board SEGGER J-Link OB \(interface MCU\), through board\/nordic_nrf52_dk\.cfg\): "No J-Link device found"\./);
    expect(lines[0]).toMatch(/interface MCU connector \(J2/);
    expect(lines[0]).toMatch(/udev.*plugdev/);
    expect(lines[0]).toMatch(/--openocd-config my\.cfg/);
    expect(openocdsWith('nordic_nrf52_dk.cfg')).toEqual([]);
  });

  it('a config whose adapter is absent (CMSIS-DAP for the Pico) also names the probe it looked for', () => {
    const r = tinyforge(['flash', image, '--board', 'rpi-pico'], { timeoutMs: 30_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/rpi-pico's debug probe \(a CMSIS-DAP probe .*interface\/cmsis-dap\.cfg \+ target\/rp2040\.cfg\): "unable to find a matching CMSIS-DAP device"/);
  });

  it('starts on a port the OS picks, serves GDB with its flash memory map, and is gone after stop()', async () => {
    const cfg = dummyConfig('server');
    const server = await OpenOcdServer.start({ configArgs: ['-f', cfg], speedKhz: 1234 });
    expect(server.port).toBeGreaterThan(0);
    expect(server.log.some((l) => /adapter speed: 1234 kHz/.test(l))).toBe(true); // --probe-speed reaches the adapter
    expect(openocdsWith(cfg)).toEqual([server.pid]);
    const gdb = await GdbRemote.connect('127.0.0.1', server.port);
    await gdb.handshake();
    expect(gdb.packetSize).toBe(0x4000);
    const map = await gdb.memoryMap();
    expect(map.find((r) => r.type === 'flash')).toEqual({ type: 'flash', start: 0, length: 0x100000, blockSize: 0x10000 });
    expect(eraseRanges(map, [{ address: 0x1_2000, bytes: new Uint8Array(0x1_0000) }])).toEqual([{ start: 0x1_0000, end: 0x3_0000 }]);
    expect(await gdb.monitor('adapter speed')).toMatch(/^adapter speed: 1254 kHz/); // monitor output comes back (the dummy driver's nearest clock to 1234)
    gdb.close();
    await server.stop();
    expect(openocdsWith(cfg)).toEqual([]);
  });

  it('flashes through vFlash, and the read-back catches a target that does not hold the image (exit 1, no openocd left)', () => {
    const cfg = dummyConfig('verify');
    const r = tinyforge(['flash', image, '--board', 'nrf52840-dk', '--openocd-config', cfg], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/verification failed: the first differing byte is at 0x00000000 \(wrote 0x01, read 0xff\)/);
    expect(openocdsWith(cfg)).toEqual([]);

    const unverified = tinyforge(['flash', image, '--board', 'nrf52840-dk', '--openocd-config', cfg, '--no-verify', '--probe-speed', '2000'], { timeoutMs: 60_000 });
    expect(unverified.stderr).toBe('');
    expect(unverified.code).toBe(0);
    expect(unverified.stdout).toMatch(/flashed 3000 bytes to the Nordic nRF52840 DK at 0x00000000 over SWD \(OpenOCD, .*verify\.cfg; written by vFlash\), NOT verified \(--no-verify\); reset into the application/);
    expect(openocdsWith(cfg)).toEqual([]);
  });

  it('writes an ELF segment by segment, each into the flash bank that holds it (the nRF52 UICR is a bank of its own)', () => {
    const cfg = dummyConfig('elf', 'flash bank chip.uicr faux 0x10000000 0x10000 0 0 chip.cpu');
    const elf = join(dir, 'app.elf');
    writeFileSync(elf, buildElf32([
      { paddr: 0x0000_0000, bytes: new Uint8Array(2048).fill(0x11) },
      { paddr: 0x1000_1000, bytes: new Uint8Array(8).fill(0x22) }, // 256 MiB away: one flattened image could not hold both
    ]));
    const r = tinyforge(['flash', elf, '--board', 'nrf52840-dk', '--openocd-config', cfg, '--no-verify', '--progress'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    // cli-progress bars: the writes OpenOCD buffers, then vFlashDone, where it programs the chip
    expect(r.stderr).toMatch(/write +\[[^\]]+\] 100% 2056\/2056 B/);
    expect(r.stderr).toMatch(/program +\[[^\]]+\] 100% 2056\/2056 B/);
    expect(r.stdout).toMatch(/flashed 2056 bytes in 2 parts to the Nordic nRF52840 DK at 0x00000000 over SWD \(OpenOCD, .*elf\.cfg; written by vFlash\)/);
    expect(openocdsWith(cfg)).toEqual([]);
  });

  it('a probe that finds no chip (never examined): says to check power and SWD wiring', () => {
    const cfg = dummyConfig('unexamined', '', ' -defer-examine'); // OpenOCD then refuses GDB as it does for a dead target
    const r = tinyforge(['flash', image, '--board', 'nrf52840-dk', '--openocd-config', cfg], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tinyforge flash: the probe is there but the chip does not answer over SWD \(openocd: "Target (chip\.cpu )?not examined yet[^"]*"\): check that the board is powered/);
    expect(openocdsWith(cfg)).toEqual([]);
  });

  it('Ctrl-C while OpenOCD starts: tinyforge exits 130 and takes openocd with it', async () => {
    const cfg = dummyConfig('interrupt', 'sleep 30000'); // openocd stays in its config stage for 30 s
    const cli = spawn(process.execPath, [join(repoRoot, 'bin', 'tinyforge.js'), 'flash', image, '--board', 'nrf52840-dk', '--openocd-config', cfg], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => cli.on('close', (code) => resolve(code)));
    for (let i = 0; i < 100 && openocdsWith(cfg).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(openocdsWith(cfg)).toHaveLength(1);
    cli.kill('SIGINT');
    expect(await exited).toBe(130);
    for (let i = 0; i < 20 && openocdsWith(cfg).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(openocdsWith(cfg)).toEqual([]);
  }, 30_000);
});
