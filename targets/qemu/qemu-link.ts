// A QEMU board as a live serial device: the firmware boots in QEMU and its emulated UART is this link's byte
// stream (QEMU's stdin/stdout), so a host talks to it exactly as to a board on a serial port (FirmwareSession).
// `run-qemu.ts` is the batch form (all input at once, output collected at exit); this one stays open.
import { spawn, type ChildProcess } from 'node:child_process';
import type { FirmwareTarget } from '../firmware/firmware-targets.ts';
import { portClosed, QueuedLink } from '../flash/queued-link.ts';
import type { LineState } from '../flash/serial-transport.ts';
import { findQemu } from '../toolchain/find-toolchain.ts';
import { QemuRunError } from './run-qemu.ts';

export class QemuLink extends QueuedLink {
  readonly baudRate = 115200; // QEMU ignores the rate
  private exited: Promise<number>;
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly path: string,
  ) {
    super();
    child.stdout!.on('data', (b: Buffer) => this.received(new Uint8Array(b.buffer, b.byteOffset, b.length)));
    child.stderr!.on('data', (b: Buffer) => (this.stderr += b.toString()));
    child.stdin!.on('error', () => {}); // the board may stop before reading everything; the session reports it
    this.exited = new Promise((resolve) => {
      child.on('close', (code) => {
        this.rx.fail(portClosed(path, `QEMU exited with status ${code}${this.stderr.trim() ? `: ${this.stderr.trim().split('\n').slice(-2).join(' ')}` : ''}`));
        resolve(code ?? -1);
      });
    });
  }

  /** Boots `elf` on the QEMU board `target`. */
  static start(target: FirmwareTarget, elf: string): QemuLink {
    if (!target.qemu) throw new QemuRunError(`board ${target.id} is real hardware; QEMU runs only qemu-* boards (give --port for a real board)`);
    const qemu = findQemu(target.arch);
    // -serial stdio without -nographic: no monitor multiplexing, so binary bytes pass untouched (as run-qemu.ts).
    const args = ['-M', target.qemu.machine, ...target.qemu.extraArgs, '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-kernel', elf];
    const child = spawn(qemu, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const link = new QemuLink(child, `${target.id} (QEMU)`);
    child.on('error', (e) => link.rx.fail(new QemuRunError(`${target.id}: cannot start ${qemu}: ${e.message}`)));
    return link;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.rx.failed) throw this.rx.failed;
    this.stats.bytesSent += bytes.length;
    await new Promise<void>((resolve, reject) => this.child.stdin!.write(Buffer.from(bytes), (err) => (err ? reject(portClosed(this.path, err.message)) : resolve())));
  }

  async setLines(_lines: LineState): Promise<void> {}

  async setBaudRate(_baudRate: number): Promise<void> {}

  /** Waits up to `graceMs` for the board to exit by itself (after a QUIT frame), then stops QEMU. Returns its status. */
  async close(graceMs = 2000): Promise<void> {
    if (this.child.exitCode === null) {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
  }

  /** The exit status once QEMU has exited. */
  exitCode(): Promise<number> {
    return this.exited;
  }
}
