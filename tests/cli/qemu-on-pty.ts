// A QEMU board whose UART is a real pseudo-terminal (QEMU's `-serial pty`): to the CLI it is a board on a serial
// port, so `--port` goes through serialport and a real tty exactly as with hardware.
import { spawn, type ChildProcess } from 'node:child_process';
import type { CompiledModel } from '../../compiler/compile-model.ts';
import { selftestVectors } from '../../cli/firmware-model.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { buildModelFirmware } from '../../targets/firmware/model-firmware.ts';
import { findQemu } from '../../targets/toolchain/find-toolchain.ts';

export interface PtyBoard {
  path: string;
  child: ChildProcess;
  stop(): void;
}

export async function qemuOnPty(compiled: CompiledModel, board: 'qemu-mps2-an386' | 'qemu-riscv32', outDir: string): Promise<PtyBoard> {
  const target = firmwareTarget(board);
  const fw = await buildModelFirmware(compiled, { target, outDir, selftest: selftestVectors(compiled) });
  const args = ['-M', target.qemu!.machine, ...target.qemu!.extraArgs, '-display', 'none', '-monitor', 'none', '-serial', 'pty', '-kernel', fw.image.elf];
  const child = spawn(findQemu(target.arch), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const path = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`QEMU named no pty: ${text}`)), 20_000);
    const look = (b: Buffer) => {
      text += b.toString();
      const m = /char device redirected to (\/dev\/pts\/\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.on('close', (code) => reject(new Error(`QEMU exited (${code}) before naming its pty: ${text}`)));
  });
  return { path, child, stop: () => child.kill('SIGKILL') };
}
