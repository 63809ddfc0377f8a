// `tinyforge flash IMAGE --board B --port P1 --port P2 …` / `--ports GLOB`: eight simulated boards at once,
// each on its own real socat pty, some with injected faults. Clean boards end verified, faulty ones are
// reported failed by name with why, and no port is reported flashed while its flash differs from the image.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as flash } from '../../cli/commands/flash.ts';
import { expandPortGlob } from '../../cli/port-glob.ts';
import { Esp32RomSim } from '../../targets/flash/sim/esp32-rom-sim.ts';
import { serveOnPty, type ServedPty } from '../../targets/flash/sim/pty-endpoint.ts';
import { Stm32BootloaderSim } from '../../targets/flash/sim/stm32-bootloader-sim.ts';
import { requireTool } from './required-tool.ts';
import { captureConsole } from './sim-on-pty.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinyforge-fleet-'));
let served: ServedPty[] = [];
let sims: (Esp32RomSim | Stm32BootloaderSim)[] = [];

beforeAll(() => requireTool('socat'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  vi.restoreAllMocks();
  for (const p of served.splice(0)) await p.close();
  for (const s of sims.splice(0)) s.stop();
});

function image(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 131 + (i >> 7) * 7) & 0xff);
}

async function serve<T extends Esp32RomSim | Stm32BootloaderSim>(sim: T): Promise<string> {
  sims.push(sim);
  const pty = await serveOnPty(sim);
  served.push(pty);
  return pty.hostPath;
}

interface JsonPort {
  port: string;
  ok: boolean;
  chip: string | null;
  mac: string | null;
  bytes: number;
  seconds: number;
  verified: string;
  code?: string;
  error?: string;
}

describe('a fleet of eight ESP32 boards on ptys', () => {
  it('flashes the clean ones (verified by MD5 and read-back, each MAC in the table), reports the faulty ones by port and why, and exits 1', async () => {
    const img = image(60_000);
    const path = join(dir, 'app.bin');
    writeFileSync(path, img);
    const boards: { sim: Esp32RomSim; fault: string }[] = [];
    for (let i = 0; i < 8; i++) boards.push({ sim: new Esp32RomSim({ chip: i === 7 ? 'ESP32-S3' : 'ESP32', mac: `24:0a:c4:00:00:${(0x10 + i).toString(16)}` }), fault: 'none' });
    boards[5]!.sim.setFaults([{ kind: 'disconnect', direction: 'toDevice', atByte: 3000 }]); // cable pulled mid-session (during the stub upload)
    boards[5]!.fault = 'disconnect';
    boards[6]!.sim.flash.stuckLow(0x10000 + 4321, 0x01); // a worn cell
    boards[6]!.fault = 'worn';
    boards[7]!.fault = 'wrong chip';
    boards[4]!.sim.setFaults([{ kind: 'corrupt', direction: 'toHost', atByte: 900, xor: 0x20 }]); // recoverable, or a named failure
    boards[4]!.fault = 'corrupt';
    img[4321] = 0xff;
    writeFileSync(path, img);
    const ports = await Promise.all(boards.map((b) => serve(b.sim)));

    const c = captureConsole();
    const code = await flash([path, '--board', 'esp32-devkitc', ...ports.flatMap((p) => ['--port', p]), '--reset-mode', 'none', '--verify', 'read-back', '--json']);
    const report = JSON.parse(c.out.join('\n')) as { ok: boolean; succeeded: number; failed: number; ports: JsonPort[] };
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.ports.map((p) => p.port)).toEqual(ports);

    const byFault = (f: string) => report.ports[boards.findIndex((b) => b.fault === f)]!;
    expect(byFault('disconnect')).toMatchObject({ ok: false, code: 'PORT_CLOSED' });
    expect(byFault('worn')).toMatchObject({ ok: false, code: 'VERIFY_MISMATCH' });
    expect(byFault('worn').error).toContain('0x000110e1');
    expect(byFault('wrong chip')).toMatchObject({ ok: false, code: 'CHIP_MISMATCH' });
    expect(byFault('wrong chip').error).toMatch(/ESP32-S3/);
    for (const [i, b] of boards.entries()) {
      const row = report.ports[i]!;
      const holds = Buffer.compare(b.sim.flash.read(0x10000, img.length), img) === 0;
      if (row.ok) expect(holds).toBe(true); // never a success with the wrong flash
      if (b.fault !== 'none') continue;
      expect(row).toMatchObject({ ok: true, chip: 'ESP32', mac: b.sim.mac, bytes: img.length, verified: 'md5+read-back' });
      expect(row.seconds).toBeGreaterThan(0);
    }
    expect(report.failed).toBe(report.ports.filter((p) => !p.ok).length);
    // stderr names each failed port with its reason, one line each.
    const failed = report.ports.filter((p) => !p.ok);
    expect(c.err).toHaveLength(failed.length);
    for (const f of failed) expect(c.err.some((line) => line.includes(`${f.port} failed: `) && line.includes(f.error!))).toBe(true);
  }, 60_000);
});

describe('a fleet of eight STM32 boards found by --ports GLOB', () => {
  it('prints one table row per port, the faulty ones FAILED with their code, and exits 1', async () => {
    const img = image(9000);
    const path = join(dir, 'stm.bin');
    writeFileSync(path, img);
    const sims8 = Array.from({ length: 8 }, (_, i) => new Stm32BootloaderSim({ pid: i === 2 ? 0x449 : 0x410 }));
    sims8[5]!.setFaults([{ kind: 'disconnect', direction: 'toDevice', atByte: 3000 }]);
    sims8[6]!.flash.stuckLow(0x0800_0000 + 777, 0x80);
    img[777] = 0xff;
    writeFileSync(path, img);
    const ports = await Promise.all(sims8.map((s) => serve(s)));
    // Stable names for the glob (the pty numbers belong to whoever asked first).
    ports.forEach((p, i) => symlinkSync(p, join(dir, `ttyFLEET${i}`)));
    expect(expandPortGlob(join(dir, 'ttyFLEET*'))).toHaveLength(8);

    const c = captureConsole();
    const code = await flash([path, '--board', 'bluepill', '--ports', join(dir, 'ttyFLEET*'), '--serial-mode', '8n1']);
    expect(code).toBe(1);
    const text = c.out.join('\n');
    expect(text.split('\n')[0]).toMatch(/^port\s+chip\s+MAC\s+bytes\s+seconds\s+verified$/);
    const row = (i: number) => text.split('\n').find((l) => l.startsWith(join(dir, `ttyFLEET${i} `)))!;
    for (const i of [0, 1, 3, 4, 7]) {
      expect(row(i)).toMatch(/STM32F10x medium-density\s+-\s+9000\s+\d+\.\d\d\s+read-back$/);
      expect(Buffer.compare(sims8[i]!.flash.read(0x0800_0000, img.length), img)).toBe(0);
    }
    expect(row(2)).toMatch(/FAILED \(CHIP_MISMATCH\)$/);
    expect(row(5)).toMatch(/FAILED \(PORT_CLOSED\)$/);
    expect(row(6)).toMatch(/FAILED \(VERIFY_MISMATCH\)$/);
    expect(text).toContain('5 of 8 ports flashed and verified, 3 failed');
    expect(c.err).toHaveLength(3);
    expect(c.err.find((l) => l.includes('ttyFLEET6 failed'))).toMatch(/0x08000309/);
  }, 60_000);

  it('refuses a glob that names no port, before anything is opened', async () => {
    const c = captureConsole();
    expect(await flash([join(dir, 'stm.bin'), '--board', 'bluepill', '--ports', join(dir, 'ttyNONE*')])).toBe(2);
    expect(c.err[0]).toMatch(/matches no port/);
  });
});
