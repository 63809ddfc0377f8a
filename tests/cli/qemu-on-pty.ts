// A QEMU board whose UART is a real pseudo-terminal (QEMU's `-serial pty`): to the CLI it is a board on a serial
// port, so `--port` goes through serialport and a real tty exactly as with hardware.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { CompiledModel } from '../../compiler/compile-model.ts';
import { selftestVectors } from '../../cli/firmware-model.ts';
import { firmwareTarget } from '../../targets/firmware/firmware-targets.ts';
import { buildModelFirmware } from '../../targets/firmware/model-firmware.ts';
import { startQemuOnPty } from '../../targets/qemu/qemu-on-pty.ts';

export interface PtyBoard {
  path: string;
  child: ChildProcess;
  stop(): void;
}

export async function qemuOnPty(compiled: CompiledModel, board: 'qemu-mps2-an386' | 'qemu-riscv32', outDir: string): Promise<PtyBoard> {
  const target = firmwareTarget(board);
  const fw = await buildModelFirmware(compiled, { target, outDir, selftest: selftestVectors(compiled) });
  // The same QEMU start as `tinyforge update`'s boards (targets/qemu/qemu-on-pty.ts); this firmware keeps no slots,
  // so its slot flash file is only there because the board's command line always names one.
  const q = await startQemuOnPty(target, fw.image.elf, join(outDir, 'slot-flash.bin'), 20_000);
  return { path: q.port, child: q.process, stop: () => void q.stop() };
}
