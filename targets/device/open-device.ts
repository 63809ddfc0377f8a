// The device a verb talks to: a board on a serial port (`--port`), or the model's firmware booted in QEMU over its
// emulated UART. Either way the caller gets one FirmwareSession, after the firmware has answered INFO.
import { FIRMWARE_TARGETS, type FirmwareTarget } from '../firmware/firmware-targets.ts';
import { SerialLink } from '../flash/serial-link.ts';
import type { SerialTransport } from '../flash/serial-transport.ts';
import { QemuLink } from '../qemu/qemu-link.ts';
import { DeviceSessionError, FirmwareSession, type DeviceInfo } from './firmware-session.ts';

export interface OpenDevice {
  session: FirmwareSession;
  info: DeviceInfo;
  /** Where the answers come from, for reports: the port path or "<board> (QEMU)". */
  where: string;
  /** Ends the session: QEMU is sent QUIT and stopped; a port is closed (the board keeps running). */
  close(): Promise<void>;
}

export type DeviceSource = { port: string; baudRate?: number } | { qemu: FirmwareTarget; elf: string };

export function qemuTarget(boardId: string): FirmwareTarget | undefined {
  return FIRMWARE_TARGETS.find((t) => t.id === boardId && t.qemu);
}

/** Asks INFO until the firmware answers: a board may still be booting, and bytes sent meanwhile can be lost. */
async function hello(session: FirmwareSession, where: string, totalMs: number): Promise<DeviceInfo> {
  const deadline = Date.now() + totalMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await session.info(Math.min(3000, Math.max(500, deadline - Date.now())));
    } catch (err) {
      if (!(err instanceof DeviceSessionError)) throw err;
      last = err;
    }
  }
  throw new DeviceSessionError(`${where}: the device did not answer INFO within ${totalMs / 1000} s (${(last as Error | undefined)?.message ?? 'no answer'}); is tinyforge firmware running there?`);
}

export async function openDevice(source: DeviceSource, options: { bootMs?: number; timeoutMs?: number } = {}): Promise<OpenDevice> {
  let link: SerialTransport;
  if ('port' in source) {
    link = await SerialLink.open({ path: source.port, baudRate: source.baudRate ?? 115200, serialMode: '8n1' });
  } else {
    link = QemuLink.start(source.qemu, source.elf);
  }
  const session = new FirmwareSession(link, options.timeoutMs);
  try {
    const info = await hello(session, link.path, options.bootMs ?? 30_000);
    const close = async () => {
      if (link instanceof QemuLink) {
        await session.quit(0).catch(() => {});
      }
      await link.close();
    };
    return { session, info, where: link.path, close };
  } catch (err) {
    await link.close();
    throw err;
  }
}
