// The GDB client against an independent stub: QEMU's own gdbstub. The firmware `tinyforge build` writes for
// qemu-mps2-an386 is loaded into an empty, halted mps2-an386 (no -kernel) through the client — QEMU has no
// memory map and no vFlash, so the client must take the memory-write path and say so — read back, reset and
// started; its self-test and one inference on QEMU's serial must then match what `tinyforge run` sees.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as runWasm } from '../../api/run.ts';
import { GdbRemote } from '../../targets/flash/gdb/gdb-remote-client.ts';
import { loadOverGdb } from '../../targets/flash/gdb/load-over-gdb.ts';
import { elf32LoadSegments } from '../../targets/flash/image/elf32-segments.ts';
import { COMMAND, encodeRequest, parseResponses } from '../../targets/qemu/serial-frames.ts';
import { corpusDir } from '../conformance-corpus.ts';
import { tinyforge } from '../cli/run-cli.ts';
import { requireTool } from './required-tool.ts';

const dir = mkdtempSync(join(tmpdir(), 'tf-gdb-qemu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('GDB client vs QEMU gdbstub', () => {
  it('loads a tinyforge firmware ELF into an empty mps2-an386 by memory writes, verifies it, and runs it', async () => {
    requireTool('qemu-system-arm');
    const model = join(corpusDir(), 'models', 'hello_world_int8.tflite');
    const built = tinyforge(['build', model, '--board', 'qemu-mps2-an386', '--out', join(dir, 'fw')], { timeoutMs: 180_000 });
    expect(built.code, built.stderr).toBe(0);
    const segments = elf32LoadSegments(new Uint8Array(readFileSync(join(dir, 'fw', 'firmware.elf'))));

    const port = await freePort();
    const qemu = spawn('qemu-system-arm', ['-M', 'mps2-an386', '-display', 'none', '-monitor', 'none', '-serial', 'stdio',
      '-semihosting-config', 'enable=on,target=native', '-gdb', `tcp:127.0.0.1:${port}`, '-S'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const serial: Buffer[] = [];
    qemu.stdout.on('data', (b: Buffer) => serial.push(b));
    const exited = new Promise<number | null>((resolve) => qemu.on('close', (code) => resolve(code)));
    try {
      let gdb: GdbRemote | undefined;
      for (let i = 0; i < 50 && !gdb; i++) {
        gdb = await GdbRemote.connect('127.0.0.1', port, { name: 'QEMU gdbstub' }).catch(async () => {
          await new Promise((r) => setTimeout(r, 100));
          return undefined;
        });
      }
      expect(gdb).toBeDefined();
      await gdb!.handshake();
      const before = await gdb!.readMemory(segments[0]!.address, 64);
      expect(before.every((b) => b === 0)).toBe(true); // nothing was loaded by QEMU itself

      const r = await loadOverGdb(gdb!, segments);
      expect(r.memoryMap).toEqual([]);
      expect(r.verified).toBe(true);
      expect(r.parts.length).toBe(segments.length);
      for (const p of r.parts) expect(p.path).toMatch(/^memory-write \((X|M)\)$/);
      expect(r.bytes).toBe(segments.reduce((n, s) => n + s.bytes.length, 0));

      // Start it as a reset would: the core takes SP and PC from the vector table just written.
      await gdb!.monitor('system_reset');
      const input = new Uint8Array([0x40]);
      qemu.stdin.write(Buffer.concat([encodeRequest(COMMAND.invoke, input), encodeRequest(COMMAND.quit, new Uint8Array([0]))]));
      const stop = await gdb!.resume(60_000);
      expect(stop).toBe('W00'); // the firmware's semihosting exit, reported by the stub
      gdb!.close();
      expect(await exited).toBe(0);

      const { text, responses } = parseResponses(new Uint8Array(Buffer.concat(serial)), 'TF-READY\n');
      expect(text).toMatch(/selftest: 2\/2 pass\n/);
      expect(text).not.toMatch(/FAIL/);
      expect(responses[0]!.status).toBe(0);
      const [want] = runWasm(model, [input]);
      expect(responses[0]!.payload.slice(8)).toEqual(want);
    } finally {
      qemu.kill('SIGKILL');
    }
  }, 240_000);
});
