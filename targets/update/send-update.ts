// Sends a signed update (.tfu) to a slot firmware and sees it through: BEGIN / DATA chunks (each acknowledged)
// / END, REBOOT, then the device's own verdict after its self-test — confirmed, or rolled back. A dropped link
// is reopened and the transfer resumes from the bytes the device says it holds.
import type { SerialTransport } from '../flash/serial-transport.ts';
import { FlashError } from '../flash/flash-error.ts';
import { SILENT_PROGRESS, type ProgressSink } from '../flash/progress-sink.ts';
import { parseHeld, UPDATE_COMMAND, UPDATE_STATUS, UpdateClient, UpdateRefusedError, type DeviceStatus, type RequestPolicy } from './update-protocol.ts';

export interface SendUpdateOptions {
  /** Opens (and, after a drop, reopens) the serial link to the device. */
  openLink: () => Promise<SerialTransport>;
  progress?: ProgressSink;
  policy?: RequestPolicy;
  /** Reopen attempts after the link drops, one second apart. */
  reconnects?: number;
  /** How long the device may take to come back after REBOOT (boot, self-test, confirm). */
  rebootTimeoutMs?: number;
}

export interface UpdateOutcome {
  before: DeviceStatus;
  after: DeviceStatus;
  /** The model version the update carries. */
  version: number;
  /** Bytes sent as DATA (more than the file when chunks were resent), and the link drops recovered from. */
  bytesSent: number;
  resumes: number;
}

/** The device booted its previous model again: the new one failed its self-test, crashed or hung on trial. */
export class UpdateRolledBackError extends Error {
  override name = 'UpdateRolledBackError';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const linkLost = (err: unknown) => err instanceof FlashError && (err.code === 'PORT_CLOSED' || err.code === 'TIMEOUT');

export async function sendUpdate(update: Uint8Array, options: SendUpdateOptions): Promise<UpdateOutcome> {
  const progress = options.progress ?? SILENT_PROGRESS;
  let link = await options.openLink();
  let client = new UpdateClient(link, options.policy);
  const reopen = async () => {
    await link.close().catch(() => {});
    let last: unknown;
    for (let i = 0; i < (options.reconnects ?? 5); i++) {
      await sleep(1000);
      try {
        link = await options.openLink();
        client = new UpdateClient(link, options.policy);
        return;
      } catch (err) {
        last = err;
      }
    }
    throw last instanceof Error ? last : new FlashError('PORT_OPEN', String(last));
  };
  try {
    const before = await client.status();
    const header = update.subarray(0, Math.min(128, update.length));
    const version = update.length >= 12 ? new DataView(update.buffer, update.byteOffset).getUint32(8, true) : 0;
    let resumes = 0;
    let bytesSent = 0;

    /** BEGIN with the header: the device's resume point (0 when it starts over). */
    const begin = async (): Promise<{ held: number; chunk: number }> => {
      // BEGIN erases what the slot needs: seconds on a chip with large sectors (STM32F7: 256 KiB, up to 4 s).
      const r = await client.request(UPDATE_COMMAND.begin, header, { timeoutMs: 15_000, attempts: 2 });
      if (r.status !== UPDATE_STATUS.OK) throw new UpdateRefusedError(r.status);
      return parseHeld(r);
    };
    let { held, chunk } = await begin();
    // Whole 8-byte flash cells per chunk (the device programs each cell once: update/flash-driver.h).
    chunk = Math.max(8, Math.min(chunk || 1024, 1024)) & ~7;
    progress.start('update', update.length);
    while (held < update.length) {
      try {
        const n = Math.min(chunk, update.length - held);
        const frame = new Uint8Array(4 + n);
        new DataView(frame.buffer).setUint32(0, held, true);
        frame.set(update.subarray(held, held + n), 4);
        const r = await client.request(UPDATE_COMMAND.data, frame);
        bytesSent += n;
        if (r.status !== UPDATE_STATUS.OK && r.status !== UPDATE_STATUS.OUT_OF_ORDER) throw new UpdateRefusedError(r.status, ` (at byte ${held.toLocaleString('en-US')})`);
        const now = parseHeld(r).held;
        // Refused where the device stands (a file that ends before its header says): END lets it name the problem.
        if (r.status === UPDATE_STATUS.OUT_OF_ORDER && now === held) break;
        held = now;
        progress.update(held);
      } catch (err) {
        if (!linkLost(err)) throw err;
        // The cable was pulled, the port vanished or the device went quiet: reopen and ask where it stands.
        await reopen();
        resumes++;
        ({ held } = await begin());
      }
    }
    progress.stop();
    const end = await client.request(UPDATE_COMMAND.end);
    if (end.status !== UPDATE_STATUS.OK) throw new UpdateRefusedError(end.status);

    const reboot = await client.request(UPDATE_COMMAND.reboot);
    if (reboot.status !== UPDATE_STATUS.OK) throw new UpdateRefusedError(reboot.status);
    // Boot, self-test, confirm (or roll back): poll STATUS until the device answers again.
    const rebootMs = options.rebootTimeoutMs ?? 60_000;
    const after = await client.status({ timeoutMs: 2000, attempts: Math.ceil(rebootMs / 2000) });
    const runningState = after.running === null ? 'none' : after.slotStates[after.running];
    if (after.runningVersion !== version || runningState !== 'confirmed') {
      throw new UpdateRolledBackError(
        `the device installed model version ${version} and rebooted into it, but it did not confirm it (failed self-test, crash or reset on trial): ` +
          `it runs model version ${after.runningVersion} from slot ${after.running === null ? '-' : 'AB'[after.running]} again (slots: A ${after.slotStates[0]}, B ${after.slotStates[1]})`,
      );
    }
    return { before, after, version, bytesSent, resumes };
  } finally {
    progress.stop();
    await link.close().catch(() => {});
  }
}
