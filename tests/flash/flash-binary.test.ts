// The real command line end to end: a simulated bootloader served on a pty by one process
// (targets/flash/sim/serve-sim.ts), `bin/tinyforge.js flash` in another, exit codes as a shell sees them.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from './required-tool.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinyforge-bin-flash-'));
let server: ChildProcess;
let port: string;
const serverOutput: string[] = [];

beforeAll(async () => {
  requireTool('socat');
  server = spawn(process.execPath, ['--import', 'tsx', 'targets/flash/sim/serve-sim.ts', 'stm32', '0x410'], { stdio: ['ignore', 'pipe', 'inherit'] });
  port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve-sim printed no port within 30 s')), 30_000);
    server.stdout!.on('data', (d: Buffer) => {
      serverOutput.push(...d.toString().trim().split('\n'));
      if (serverOutput.length === 1) {
        clearTimeout(timer);
        resolve(serverOutput[0]!);
      }
    });
  });
});

afterAll(() => {
  if (server.exitCode === null) server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function tinyforge(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/tinyforge.js', 'flash', ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

describe('bin/tinyforge.js flash against a simulated bluepill in another process', () => {
  const image = Uint8Array.from({ length: 7000 }, (_, i) => (i * 13 + 1) & 0x7f);

  it('exits 1 with one explaining line for a missing image', async () => {
    const r = await tinyforge([join(dir, 'none.bin'), '--board', 'bluepill', '--port', port, '--serial-mode', '8n1']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot read image .*none\.bin/);
  });

  it('exits 1 and says how to enter the bootloader when the wrong board is named', async () => {
    const file = join(dir, 'esp.bin');
    writeFileSync(file, new Uint8Array(64));
    // An ESP32 ROM loader is expected, an STM32 bootloader answers nothing it understands.
    const r = await tinyforge([file, '--board', 'esp32-devkitc', '--port', port, '--reset-mode', 'none']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no answer from the ESP32 bootloader on \/dev\/pts\/\d+ at 115200 baud.*hold the BOOT button/);
  });

  it('exits 0 once the device holds exactly the image, even after the garbage the last attempt sent', async () => {
    const file = join(dir, 'app.bin');
    writeFileSync(file, image);
    const r = await tinyforge([file, '--board', 'bluepill', '--port', port, '--serial-mode', '8n1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/flashed 7000 bytes .* verified by read-back/);

    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    const md5 = createHash('md5').update(image).digest('hex');
    expect(serverOutput.join('\n')).toContain(`flash used up to offset 7000, md5 of that span ${md5}`);
  });
});
