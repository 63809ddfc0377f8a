// Every way a flashing session can fail, as one error class with a stable code, so the CLI can print one
// actionable line and the fault-injection checks can assert that no failure escapes unnamed.
export type FlashErrorCode =
  | 'PORT_OPEN' // the port could not be opened (missing, busy, no permission)
  | 'PORT_CLOSED' // the port vanished while talking to the device
  | 'NO_ANSWER' // the device never answered the bootloader handshake
  | 'TIMEOUT' // the device stopped answering mid-session, retries exhausted
  | 'NACK' // the device refused a command, retries exhausted
  | 'PROTOCOL' // the device answered with bytes that make no sense for the command
  | 'DEVICE_ERROR' // the device reported a failure status
  | 'WRITE_PROTECTED'
  | 'READ_PROTECTED'
  | 'CHIP_MISMATCH'
  | 'VERIFY_MISMATCH'
  | 'IMAGE'
  | 'BOARD'
  | 'PROBE'; // the debug probe / OpenOCD could not be started or reached

export class FlashError extends Error {
  override readonly name = 'FlashError';
  constructor(
    readonly code: FlashErrorCode,
    message: string,
    /** For VERIFY_MISMATCH: the first address whose byte differs. */
    readonly address?: number,
  ) {
    super(message);
  }
}

export function isFlashError(err: unknown): err is FlashError {
  return err instanceof FlashError;
}

export function hex32(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}
