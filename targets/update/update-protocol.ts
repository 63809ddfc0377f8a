// Host side of the model-update commands of the firmware's framed serial protocol (device side:
// targets/firmware/update/update-service.c, codes in targets/firmware/common/serial-protocol.h). As esptool
// does it: a small set of typed commands and responses over one codec (serial-frames.ts), and timeouts and
// retries in one place (UpdateClient.request).
//
//   STATUS                       → slots, key, transfer state
//   UPDATE_BEGIN(.tfu header)    → bytes of this update the device holds (resume point), largest chunk
//   UPDATE_DATA(offset, bytes)   → bytes held (acknowledges each chunk; another offset → OUT_OF_ORDER + held)
//   UPDATE_END                   → verified in flash (SHA-256 + Ed25519) and marked pending
//   REBOOT                       → the device resets and tries the pending slot (self-test, confirm/roll back)
// Each answer's payload starts with the command it answers: a late answer to an earlier request is skipped.
import type { SerialTransport } from '../flash/serial-transport.ts';
import { FlashError } from '../flash/flash-error.ts';
import { COMMAND, encodeRequest, readResponseFrame, type Response } from '../qemu/serial-frames.ts';

export const UPDATE_COMMAND = { begin: 0x42, data: 0x44, end: 0x45, status: 0x55, reboot: 0x52 } as const;
/** The commands whose answers start with the command byte (update-service.c). */
const ECHOED: ReadonlySet<number> = new Set(Object.values(UPDATE_COMMAND));

/** Device statuses with their names (serial-protocol.h). */
export const UPDATE_STATUS = {
  OK: 0x00,
  BAD_CRC: 0x01,
  BAD_LENGTH: 0x02,
  UNKNOWN_COMMAND: 0x03,
  BAD_HEADER: 0x10,
  TOO_LARGE: 0x11,
  BAD_SIGNATURE: 0x12,
  NOT_NEWER: 0x13,
  TRUNCATED: 0x14,
  BAD_HASH: 0x15,
  FLASH_ERROR: 0x16,
  NO_KEY: 0x17,
  NO_FLASH_DRIVER: 0x18,
  NOT_STARTED: 0x19,
  OUT_OF_ORDER: 0x1a,
} as const;
export type UpdateStatusName = keyof typeof UPDATE_STATUS;

export const UPDATE_STATUS_TEXT: Record<UpdateStatusName, string> = {
  OK: 'ok',
  BAD_CRC: 'the device saw a bad checksum',
  BAD_LENGTH: 'the device got a frame of the wrong length',
  UNKNOWN_COMMAND: 'the firmware has no update commands (it is not a slot firmware: build it with --slots)',
  BAD_HEADER: 'the update header is malformed (magic, format version, sizes or reserved bytes)',
  TOO_LARGE: 'the model does not fit a model slot of this board',
  BAD_SIGNATURE: 'the signature does not verify with the key built into the firmware (unsigned, tampered header or another key)',
  NOT_NEWER: 'the model version is not above the one running (a replayed or older update)',
  TRUNCATED: 'the update holds fewer bytes than its header announces',
  BAD_HASH: 'the model bytes do not hash to the signed SHA-256 (tampered or corrupted)',
  FLASH_ERROR: 'the device could not erase or write its flash',
  NO_KEY: 'the firmware was built without a public key (build --pub KEY.pub.pem): it refuses every update',
  NO_FLASH_DRIVER: 'this board has no model-slot flash driver yet',
  NOT_STARTED: 'the device has no update in progress',
  OUT_OF_ORDER: 'the chunk is not where the device expects the next bytes',
};

export function statusName(code: number): UpdateStatusName | `0x${string}` {
  const hit = (Object.keys(UPDATE_STATUS) as UpdateStatusName[]).find((k) => UPDATE_STATUS[k] === code);
  return hit ?? `0x${code.toString(16).padStart(2, '0')}`;
}

export const SLOT_STATE = ['empty', 'pending', 'tried', 'confirmed', 'bad'] as const;

export interface DeviceStatus {
  /** 0 = A, 1 = B, null: no model runs. */
  running: 0 | 1 | null;
  slotStates: [string, string];
  keyPresent: boolean;
  flashDriver: boolean;
  transfer: 'none' | 'receiving' | 'pending';
  runningVersion: number;
  held: number;
  total: number;
}

export function parseStatus(payload: Uint8Array): DeviceStatus {
  if (payload.length !== 20) throw new FlashError('PROTOCOL', `STATUS answered ${payload.length} B, expected 20`);
  const v = new DataView(payload.buffer, payload.byteOffset, payload.length);
  const state = (b: number) => SLOT_STATE[b] ?? `unknown (${b})`;
  return {
    running: payload[0] === 0xff ? null : (payload[0] as 0 | 1),
    slotStates: [state(payload[2]!), state(payload[3]!)],
    keyPresent: payload[4] === 1,
    flashDriver: payload[5] === 1,
    transfer: (['none', 'receiving', 'pending'] as const)[payload[6]!] ?? 'none',
    runningVersion: v.getUint32(8, true),
    held: v.getUint32(12, true),
    total: v.getUint32(16, true),
  };
}

/** `held` and `chunk` of BEGIN and DATA answers. */
export function parseHeld(r: Response): { held: number; chunk: number } {
  if (r.payload.length < 4) return { held: 0, chunk: 0 };
  const v = new DataView(r.payload.buffer, r.payload.byteOffset, r.payload.length);
  return { held: v.getUint32(0, true), chunk: r.payload.length >= 8 ? v.getUint32(4, true) : 0 };
}

export interface RequestPolicy {
  /** How long one answer may take. */
  timeoutMs: number;
  /** Sends of the same request before giving up (the commands are idempotent: BEGIN resumes, DATA re-acks). */
  attempts: number;
}

export const DEFAULT_POLICY: RequestPolicy = { timeoutMs: 3000, attempts: 4 };

/** One framed exchange at a time over a serial link; the one place with timeouts and retries. */
export class UpdateClient {
  constructor(readonly link: SerialTransport, readonly policy: RequestPolicy = DEFAULT_POLICY) {}

  /** Sends `cmd` and returns the device's answer (any status); retries on silence or a damaged frame. */
  async request(cmd: number, payload: Uint8Array = new Uint8Array(0), policy: Partial<RequestPolicy> = {}): Promise<Response> {
    const { timeoutMs, attempts } = { ...this.policy, ...policy };
    let last: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      this.link.discardInput();
      await this.link.write(encodeRequest(cmd, payload));
      const deadline = Date.now() + timeoutMs;
      try {
        for (;;) {
          const r = await readResponseFrame(this.link, Math.max(1, deadline - Date.now()), 1 << 20);
          if (r.status === UPDATE_STATUS.BAD_CRC) throw new FlashError('PROTOCOL', 'the device saw a damaged frame');
          // A firmware without update commands answers UNKNOWN_COMMAND, echoing nothing.
          if (!ECHOED.has(cmd) || (r.status === UPDATE_STATUS.UNKNOWN_COMMAND && r.payload.length === 0)) return r;
          // Update answers echo their command: skip late answers to earlier requests.
          if (r.payload[0] === cmd) return { status: r.status, payload: r.payload.slice(1) };
        }
      } catch (err) {
        if (err instanceof FlashError && err.code === 'PORT_CLOSED') throw err;
        last = err;
      }
    }
    const why = last instanceof Error ? last.message : String(last);
    throw new FlashError('TIMEOUT', `${this.link.path}: no valid answer to command '${String.fromCharCode(cmd)}' after ${attempts} tries of ${timeoutMs} ms (${why})`);
  }

  async status(policy?: Partial<RequestPolicy>): Promise<DeviceStatus> {
    const r = await this.request(UPDATE_COMMAND.status, undefined, policy);
    if (r.status !== UPDATE_STATUS.OK) throw new UpdateRefusedError(r.status);
    return parseStatus(r.payload);
  }

  /** INVOKE, for checks after an update: the output tensor. */
  async invoke(input: Uint8Array): Promise<Uint8Array> {
    const r = await this.request(COMMAND.invoke, input);
    if (r.status !== 0) throw new FlashError('DEVICE_ERROR', `INVOKE answered status ${r.status}`);
    return r.payload.slice(8);
  }
}

/** The device refused the update (or a step of it) with a named status. */
export class UpdateRefusedError extends Error {
  override name = 'UpdateRefusedError';
  readonly status: UpdateStatusName | `0x${string}`;
  constructor(readonly code: number, detail = '') {
    const name = statusName(code);
    super(`the device refused the update: ${name}: ${(UPDATE_STATUS_TEXT as Record<string, string>)[name] ?? 'unknown status'}${detail}`);
    this.status = name;
  }
}
