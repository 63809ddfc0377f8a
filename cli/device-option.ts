// `--board B [--port P] [--baud N]` for the verbs that talk to running firmware (validate, monitor): a board on a
// serial port running tinyforge firmware, or — without --port, on a QEMU board — the model's firmware built here
// and booted in QEMU, spoken to over the emulated UART. Either way one FirmwareSession (targets/device/).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompiledModel } from '../compiler/compile-model.ts';
import type { Board } from '../targets/boards/board-schema.ts';
import { openDevice, qemuTarget, type OpenDevice } from '../targets/device/open-device.ts';
import { FIRMWARE_TARGETS } from '../targets/firmware/firmware-targets.ts';
import { buildModelFirmware } from '../targets/firmware/model-firmware.ts';
import { QEMU_BOARDS } from '../targets/qemu/run-on-qemu.ts';
import { resolveBoard } from './board-option.ts';
import { CliError, EXIT } from './cli-error.ts';
import { selftestVectors } from './firmware-model.ts';

export interface DeviceOptions {
  board?: string | undefined;
  'board-file'?: string | undefined;
  port?: string | undefined;
  baud?: number | undefined;
}

/** The board a device verb was given: any firmware board with --port, a QEMU board without. */
export function deviceBoard(verb: string, opts: DeviceOptions): Board {
  const board = resolveBoard('simulate', opts);
  if (opts.port === undefined && !qemuTarget(board.id)) {
    throw new CliError(`tinyforge ${verb}: --board ${board.id} is a real board: give --port <path> of the board running tinyforge firmware ('tinyforge build' + 'tinyforge flash'), or use ${QEMU_BOARDS.join(' or ')} to run the firmware in QEMU`, EXIT.usage);
  }
  if (opts.port !== undefined && !FIRMWARE_TARGETS.some((t) => t.id === board.id) && !opts['board-file']) {
    throw new CliError(`tinyforge ${verb}: tinyforge builds no firmware for ${board.id}; boards with tinyforge firmware: ${FIRMWARE_TARGETS.map((t) => t.id).join(', ')}`, EXIT.usage);
  }
  return board;
}

/** Opens the device: the port, or (no --port) the model's firmware built into a temporary folder and booted in QEMU. */
export async function openDeviceFor(verb: string, board: Board, opts: DeviceOptions, compiled: CompiledModel | undefined): Promise<OpenDevice> {
  if (opts.port !== undefined) return openDevice({ port: opts.port, ...(opts.baud ? { baudRate: opts.baud } : {}) });
  if (!compiled) throw new CliError(`tinyforge ${verb}: without --port the firmware is built from the model and run in QEMU: give the model (a .tflite or compiled folder)`, EXIT.usage);
  const target = qemuTarget(board.id)!;
  const work = mkdtempSync(join(tmpdir(), `tinyforge-${verb}-`));
  try {
    const fw = await buildModelFirmware(compiled, { target, outDir: work, selftest: selftestVectors(compiled) });
    const device = await openDevice({ qemu: target, elf: fw.image.elf });
    return { ...device, close: async () => { await device.close(); rmSync(work, { recursive: true, force: true }); } };
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
}
