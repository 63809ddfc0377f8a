// A QEMU board left running with its UART on a pseudo-terminal (-serial pty), the way a user talks to it with
// `tinyforge update --port`: QEMU prints the pty's path, any serial program can open it, and a closed and
// reopened pty is a dropped and restored link. The slot flash file keeps the slots across resets (slot-flash-file.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import type { FirmwareTarget } from '../firmware/firmware-targets.ts';
import { findQemu } from '../toolchain/find-toolchain.ts';
import { QemuRunError } from './run-qemu.ts';
import { prepareSlotFlashFile, slotFlashArgs } from './slot-flash-file.ts';

export interface QemuOnPty {
  /** The pty path to pass as --port. */
  port: string;
  /** Stops QEMU (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
  readonly process: ChildProcess;
}

/** The command line: the board's machine, its UART on a pty, the ELF and its slot flash. */
export function qemuPtyArgs(target: FirmwareTarget, elf: string, slotFlash: string, serialLog?: string): string[] {
  if (!target.qemu) throw new QemuRunError(`board ${target.id} is real hardware; QEMU runs only qemu-* boards`);
  // With a log, QEMU also copies every byte the board sends (boot text included) into that file.
  const serial = serialLog ? ['-chardev', `pty,id=tfserial,logfile=${serialLog}`, '-serial', 'chardev:tfserial'] : ['-serial', 'pty'];
  return ['-M', target.qemu.machine, ...target.qemu.extraArgs, '-display', 'none', '-monitor', 'none', ...serial, ...slotFlashArgs(target.id, slotFlash, elf)];
}

export async function startQemuOnPty(target: FirmwareTarget, elf: string, slotFlash: string, timeoutMs = 10_000, serialLog?: string): Promise<QemuOnPty> {
  prepareSlotFlashFile(target.id, slotFlash);
  const child = spawn(findQemu(target.arch), qemuPtyArgs(target, elf, slotFlash, serialLog), { stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new QemuRunError(`${target.id}: QEMU printed no pty within ${timeoutMs / 1000} s: ${printed.slice(-300)}`));
    }, timeoutMs);
    const look = (b: Buffer) => {
      printed += b.toString();
      const m = /char device redirected to (\/dev\/pts\/\d+)/.exec(printed);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new QemuRunError(`${target.id}: QEMU exited (${code}) before opening its pty: ${printed.slice(-300)}`));
    });
  });
  return {
    port,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    },
  };
}
