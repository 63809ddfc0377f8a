// Typed AN3155 commands over a serial link. Timeouts and retries live in `transaction`: a command that times
// out, is NACKed or gets a garbled answer is retried after a resync; what is left after the retries becomes
// one named FlashError.
import { ReadTimeout } from '../byte-queue.ts';
import { FlashError, hex32 } from '../flash-error.ts';
import type { SerialTransport } from '../serial-transport.ts';
import {
  ACK,
  Command,
  EXTENDED_MASS_ERASE,
  GLOBAL_ERASE,
  INIT,
  MAX_BLOCK,
  NACK,
  addressFrame,
  commandFrame,
  dataFrame,
  erasePagesFrame,
  extendedErasePagesFrame,
  lengthFrame,
} from './an3155-codec.ts';

export interface Stm32Timeouts {
  /** Reply to one 0x7F during connect/resync. */
  syncMs: number;
  /** ACK of a command byte, address or length. */
  ackMs: number;
  /** ACK after a 256-byte write is programmed. */
  writeMs: number;
  /** Erase: fixed part plus per page/sector. */
  eraseBaseMs: number;
  erasePerSectorMs: number;
  massEraseMs: number;
}

export const DEFAULT_STM32_TIMEOUTS: Stm32Timeouts = {
  syncMs: 200,
  ackMs: 500,
  writeMs: 1000,
  eraseBaseMs: 1000,
  erasePerSectorMs: 2000,
  massEraseMs: 30_000,
};

export interface Stm32ClientOptions {
  timeouts?: Partial<Stm32Timeouts>;
  /** Attempts per command (first try included). */
  attempts?: number;
}

export interface BootloaderInfo {
  version: number;
  commands: number[];
  pid: number;
}

/** Internal: the device answered NACK where ACK was expected. */
class Refused extends Error {
  constructor(readonly step: string) {
    super(`NACK at ${step}`);
  }
}

/** Internal: the device answered a byte that is neither ACK nor NACK. */
class Garbled extends Error {}

export class Stm32BootloaderClient {
  readonly timeouts: Stm32Timeouts;
  readonly attempts: number;
  /** Commands the bootloader listed in its Get answer. */
  commands: number[] = [];

  constructor(
    readonly link: SerialTransport,
    options: Stm32ClientOptions = {},
  ) {
    this.timeouts = { ...DEFAULT_STM32_TIMEOUTS, ...options.timeouts };
    this.attempts = options.attempts ?? 3;
  }

  /**
   * Brings the bootloader to "waiting for a command", whatever state an earlier, interrupted session left it in.
   * A lone 0x7F is answered ACK by a fresh bootloader (autobaud), NACK when it completes a bad command pair;
   * a bootloader stuck inside a data phase is first flushed with a burst of 0x7F, which ends that phase.
   */
  async resync(): Promise<void> {
    if (await this.trySingles(2)) return;
    await this.link.write(new Uint8Array(MAX_BLOCK + 44).fill(INIT));
    await this.link.rx.drainUntilQuiet(Math.max(30, this.timeouts.syncMs / 4), this.timeouts.syncMs * 10);
    if (await this.trySingles(3)) return;
    throw new FlashError('NO_ANSWER', 'no answer to the bootloader handshake (0x7F)');
  }

  private async trySingles(count: number): Promise<boolean> {
    for (let i = 0; i < count; i++) {
      this.link.discardInput();
      await this.link.write(Uint8Array.of(INIT));
      try {
        const b = await this.link.readByte(this.timeouts.syncMs);
        // NACK always leaves the bootloader idle; ACK to a lone 0x7F is a fresh autobaud.
        if (b === ACK || b === NACK) {
          await this.link.rx.drainUntilQuiet(10, 200);
          return true;
        }
      } catch (err) {
        if (!(err instanceof ReadTimeout)) throw err;
      }
    }
    return false;
  }

  async connect(): Promise<BootloaderInfo> {
    await this.resync();
    const { version, commands } = await this.get();
    this.commands = commands;
    const pid = await this.getId();
    return { version, commands, pid };
  }

  async get(): Promise<{ version: number; commands: number[] }> {
    return this.transaction('Get', async () => {
      await this.sendCommand(Command.get, 'Get');
      const n = await this.link.readByte(this.timeouts.ackMs);
      const body = await this.link.read(n + 1, this.timeouts.ackMs);
      await this.expectAck('Get (end)', this.timeouts.ackMs);
      return { version: body[0]!, commands: [...body.subarray(1)] };
    });
  }

  /** Bootloader version and the two option bytes (read protection status on older parts). */
  async getVersion(): Promise<{ version: number; options: [number, number] }> {
    return this.transaction('Get Version', async () => {
      await this.sendCommand(Command.getVersion, 'Get Version');
      const b = await this.link.read(3, this.timeouts.ackMs);
      await this.expectAck('Get Version (end)', this.timeouts.ackMs);
      return { version: b[0]!, options: [b[1]!, b[2]!] };
    });
  }

  async getId(): Promise<number> {
    return this.transaction('Get ID', async () => {
      await this.sendCommand(Command.getId, 'Get ID');
      const n = await this.link.readByte(this.timeouts.ackMs);
      const pid = await this.link.read(n + 1, this.timeouts.ackMs);
      await this.expectAck('Get ID (end)', this.timeouts.ackMs);
      return pid.reduce((acc, b) => (acc << 8) | b, 0);
    });
  }

  async readMemory(address: number, length: number): Promise<Uint8Array> {
    if (length < 1 || length > MAX_BLOCK) throw new RangeError(`read length ${length} not in 1..${MAX_BLOCK}`);
    return this.transaction(`Read Memory at ${hex32(address)}`, async () => {
      await this.sendCommand(Command.readMemory, 'Read Memory');
      await this.link.write(addressFrame(address));
      await this.expectAck(`Read Memory address ${hex32(address)}`, this.timeouts.ackMs);
      await this.link.write(lengthFrame(length));
      await this.expectAck('Read Memory length', this.timeouts.ackMs);
      return this.link.read(length, this.timeouts.ackMs + length);
    }, 'READ_PROTECTED');
  }

  /** Writes ≤ 256 bytes; flash writes must be word aligned, so callers pad with 0xFF. */
  async writeMemory(address: number, data: Uint8Array): Promise<void> {
    if (data.length < 1 || data.length > MAX_BLOCK || data.length % 4 !== 0 || address % 4 !== 0)
      throw new RangeError(`write of ${data.length} bytes at ${hex32(address)}: need 4..256 bytes, word aligned`);
    await this.transaction(
      `Write Memory at ${hex32(address)}`,
      async () => {
        await this.sendCommand(Command.writeMemory, 'Write Memory');
        await this.link.write(addressFrame(address));
        await this.expectAck(`Write Memory address ${hex32(address)}`, this.timeouts.ackMs);
        await this.link.write(dataFrame(data));
        await this.expectAck(`Write Memory data at ${hex32(address)}`, this.timeouts.writeMs);
      },
      'WRITE_PROTECTED',
    );
  }

  /** Erases the given pages/sectors with Erase or Extended Erase, whichever the bootloader listed. */
  async erasePages(pages: readonly number[]): Promise<void> {
    const timeout = this.timeouts.eraseBaseMs + pages.length * this.timeouts.erasePerSectorMs;
    const extended = this.commands.includes(Command.extendedErase);
    // Erase takes at most 255 pages per command, Extended Erase far more; keep commands small anyway so a retry redoes little.
    const perCommand = extended ? 64 : 255;
    for (let i = 0; i < pages.length; i += perCommand) {
      const chunk = pages.slice(i, i + perCommand);
      await this.transaction(
        `Erase of ${chunk.length} page(s) from page ${chunk[0]}`,
        async () => {
          await this.sendCommand(extended ? Command.extendedErase : Command.erase, 'Erase');
          await this.link.write(extended ? extendedErasePagesFrame(chunk) : erasePagesFrame(chunk));
          await this.expectAck('Erase', timeout);
        },
        'WRITE_PROTECTED',
      );
    }
  }

  async massErase(): Promise<void> {
    const extended = this.commands.includes(Command.extendedErase);
    await this.transaction(
      'Mass erase',
      async () => {
        await this.sendCommand(extended ? Command.extendedErase : Command.erase, 'Erase');
        await this.link.write(extended ? EXTENDED_MASS_ERASE : GLOBAL_ERASE);
        await this.expectAck('Mass erase', this.timeouts.massEraseMs);
      },
      'WRITE_PROTECTED',
    );
  }

  async go(address: number): Promise<void> {
    await this.transaction(`Go ${hex32(address)}`, async () => {
      await this.sendCommand(Command.go, 'Go');
      await this.link.write(addressFrame(address));
      await this.expectAck('Go address', this.timeouts.ackMs);
    });
  }

  /** Write Unprotect: the chip clears write protection and resets itself, so the handshake is redone. */
  async writeUnprotect(): Promise<void> {
    await this.protectionChange(Command.writeUnprotect, 'Write Unprotect', this.timeouts.ackMs);
  }

  /** Readout Unprotect: mass-erases the flash, clears read protection, resets. */
  async readoutUnprotect(): Promise<void> {
    await this.protectionChange(Command.readoutUnprotect, 'Readout Unprotect', this.timeouts.massEraseMs);
  }

  async readoutProtect(): Promise<void> {
    await this.protectionChange(Command.readoutProtect, 'Readout Protect', this.timeouts.ackMs);
  }

  private async protectionChange(code: number, what: string, secondAckMs: number): Promise<void> {
    await this.transaction(what, async () => {
      await this.sendCommand(code, what);
      await this.expectAck(`${what} (done)`, secondAckMs);
    });
    // The chip resets after the second ACK; give it time to come back, then autobaud again.
    await new Promise((r) => setTimeout(r, 50));
    await this.resync();
  }

  private async sendCommand(code: number, what: string): Promise<void> {
    this.link.discardInput();
    await this.link.write(commandFrame(code));
    await this.expectAck(what, this.timeouts.ackMs);
  }

  private async expectAck(step: string, timeoutMs: number): Promise<void> {
    const b = await this.link.readByte(timeoutMs);
    if (b === ACK) return;
    if (b === NACK) throw new Refused(step);
    throw new Garbled(`unexpected byte 0x${b.toString(16).padStart(2, '0')} at ${step}`);
  }

  /**
   * Runs one command with retries. After a timeout, NACK or garbled answer the bootloader is resynced and the
   * whole command is sent again (every command here is idempotent: a rewrite of the same bytes clears no new bits).
   * If every attempt was refused, `refusedAs` names the likely cause (protection) for the user.
   */
  private async transaction<T>(name: string, body: () => Promise<T>, refusedAs?: 'WRITE_PROTECTED' | 'READ_PROTECTED'): Promise<T> {
    let lastError: unknown;
    let refusals = 0;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        return await body();
      } catch (err) {
        if (err instanceof FlashError && err.code === 'PORT_CLOSED') throw err;
        if (!(err instanceof ReadTimeout || err instanceof Refused || err instanceof Garbled)) throw err;
        lastError = err;
        if (err instanceof Refused) refusals++;
        if (attempt < this.attempts) {
          try {
            await this.resync();
          } catch (resyncError) {
            // A device that stays silent through a resync is given the remaining attempts, then reported.
            if (!(resyncError instanceof FlashError && resyncError.code === 'NO_ANSWER')) throw resyncError;
            lastError = new ReadTimeout(1, 0, this.timeouts.syncMs);
          }
        }
      }
    }
    if (refusals === this.attempts && refusedAs) throw new FlashError(refusedAs, `the bootloader refused ${name} (NACK, ${this.attempts} attempts)`);
    if (refusals === this.attempts) throw new FlashError('NACK', `the bootloader refused ${name} (NACK, ${this.attempts} attempts)`);
    if (lastError instanceof ReadTimeout) throw new FlashError('TIMEOUT', `no complete answer to ${name} after ${this.attempts} attempts (${lastError.message})`);
    throw new FlashError('PROTOCOL', `${name}: ${(lastError as Error).message} (after ${this.attempts} attempts)`);
  }
}
