/** An error the CLI reports as one line on stderr, with the exit code it chooses. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  failure: 1,
  /** A malformed or unsupported model or input file. */
  badInput: 2,
  /** The model does not fit the board. */
  doesNotFit: 3,
  /** An update file whose signature, hash or header is wrong (tinyforge verify). */
  badUpdate: 4,
  /** The device's outputs differ from the host runtime's (tinyforge validate). */
  notBitExact: 5,
  /** The device's inputs drifted away from the calibration data (tinyforge monitor). */
  drift: 6,
  /** An update the device installed and booted but did not confirm: it rolled back (tinyforge update). */
  rolledBack: 7,
  usage: 64,
} as const;
