// Boots a firmware image in QEMU, feeds bytes to the emulated UART and collects what the board prints,
// with a hard timeout. Optionally loads the instruction-count plugin.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FirmwareTarget } from '../firmware/firmware-targets.ts';
import { findQemu } from '../toolchain/find-toolchain.ts';
import { insnCountPlugin } from './insn-count-plugin.ts';
import { prepareSlotFlashFile, slotFlashArgs } from './slot-flash-file.ts';

export class QemuRunError extends Error {
  override name = 'QemuRunError';
}

export interface QemuRunOptions {
  target: FirmwareTarget;
  elf: string;
  /** Bytes for the board's serial input (stdin of QEMU's serial port). */
  serialInput: Uint8Array;
  timeoutMs?: number;
  /** Marker addresses: count instructions with the plugin. */
  markers?: { begin: number; op: number; end: number };
  /** Raw files QEMU's generic loader puts into the board's memory at reset (a model slot image in flash). */
  loads?: { file: string; address: number }[];
  /** With markers: also count instruction classes, loads from [flash.origin, flash.origin + length) apart. */
  classes?: { flash: { origin: number; length: number } };
  /** A host file holding the board's model-slot flash (slot-flash-file.ts), kept across runs. */
  slotFlash?: string;
}

export interface QemuRunResult {
  exitCode: number;
  serialOutput: Uint8Array;
  stderr: string;
  /** The plugin's log (see instruction-counts.ts), when markers were given. */
  instructionLog?: string;
}

export async function runQemu(options: QemuRunOptions): Promise<QemuRunResult> {
  const { target } = options;
  if (!target.qemu) throw new QemuRunError(`board ${target.id} is real hardware; QEMU runs only qemu-* boards`);
  const qemu = findQemu(target.arch);
  const work = mkdtempSync(join(tmpdir(), 'tinyforge-qemu-'));
  const logPath = join(work, 'insn.log');
  // -serial stdio without -nographic: no monitor multiplexing, so binary bytes (Ctrl-A included) pass untouched.
  const args = ['-M', target.qemu.machine, ...target.qemu.extraArgs, '-display', 'none', '-monitor', 'none', '-serial', 'stdio'];
  if (options.markers) {
    const m = options.markers;
    const hex = (n: number) => `0x${n.toString(16)}`;
    const classes = options.classes ? `,classes=1,flash=${hex(options.classes.flash.origin)}:${hex(options.classes.flash.origin + options.classes.flash.length)}` : '';
    args.push('-plugin', `${insnCountPlugin()},out=${logPath},begin=${hex(m.begin)},op=${hex(m.op)},end=${hex(m.end)}${classes}`, '-d', 'plugin');
  }
  for (const l of options.loads ?? []) args.push('-device', `loader,file=${l.file},addr=0x${l.address.toString(16)},force-raw=on`);
  if (options.slotFlash) {
    prepareSlotFlashFile(target.id, options.slotFlash);
    args.push(...slotFlashArgs(target.id, options.slotFlash, options.elf));
  } else {
    args.push('-kernel', options.elf);
  }
  const timeoutMs = options.timeoutMs ?? 60_000;
  try {
    return await new Promise<QemuRunResult>((resolve, reject) => {
      const child = spawn(qemu, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.stdin.on('error', () => {}); // the board may exit before reading everything; its output tells why
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        const printed = Buffer.concat(out).toString('latin1').slice(-400);
        reject(new QemuRunError(`${target.id}: QEMU did not finish within ${timeoutMs / 1000} s; the board printed: ${JSON.stringify(printed)}`));
      }, timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new QemuRunError(`${target.id}: cannot start ${qemu}: ${e.message}`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        child.stdin.destroy();
        if (signal) return; // the timeout already rejected
        let instructionLog: string | undefined;
        if (options.markers) {
          try {
            instructionLog = readFileSync(logPath, 'utf8');
          } catch {
            instructionLog = '';
          }
        }
        resolve({
          exitCode: code ?? -1,
          serialOutput: new Uint8Array(Buffer.concat(out)),
          stderr: Buffer.concat(err).toString(),
          instructionLog,
        });
      });
      // stdin stays open: QEMU's stdio backend closes the serial port at end of input, after which it drops
      // bytes the board still sends (seen under load). The board's own exit ends the run.
      child.stdin.write(Buffer.from(options.serialInput));
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
