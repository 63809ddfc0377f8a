// Typed commands of the ESP32 ROM serial loader. Timeouts and retries live in `command`: a request whose
// answer does not arrive, or arrives with a failure status, is sent again; what remains after the retries
// is one named FlashError.
import { ReadTimeout } from '../byte-queue.ts';
import { FlashError, hex32 } from '../flash-error.ts';
import type { SerialTransport } from '../serial-transport.ts';
import { CHIP_DETECT_MAGIC_REG, espChipByMagic, espChipBySecurityId, isSupported, refusal, type EspChip, type KnownEspChip } from './chip-detect.ts';
import { Op, RomError, SYNC_PAYLOAD, dataChecksum, decodeResponse, encodeRequest, readWord, words, type Response } from './rom-protocol.ts';
import { SlipDecoder, slipEncode } from './slip.ts';
import type { FlasherStub } from './flasher-stub.ts';
import { MAC_EFUSE_REG, macFromEfuse } from './mac-address.ts';
import { md5Hex } from './md5-hex.ts';

export interface Esp32Timeouts {
  /** One SYNC attempt. */
  syncMs: number;
  /** Ordinary commands. */
  commandMs: number;
  /** FLASH_BEGIN erases before answering: fixed part plus per MiB erased. */
  eraseBaseMs: number;
  erasePerMiBMs: number;
  /** One data block (the ROM programs it before answering). */
  blockMs: number;
  /** SPI_FLASH_MD5: fixed part plus per MiB hashed. */
  md5BaseMs: number;
  md5PerMiBMs: number;
}

export const DEFAULT_ESP32_TIMEOUTS: Esp32Timeouts = {
  syncMs: 100,
  commandMs: 3000,
  eraseBaseMs: 3000,
  erasePerMiBMs: 30_000,
  blockMs: 3000,
  md5BaseMs: 3000,
  md5PerMiBMs: 8000,
};

export interface Esp32ClientOptions {
  timeouts?: Partial<Esp32Timeouts>;
  /** Attempts per command (first try included). */
  attempts?: number;
  /** SYNC attempts before giving up with NO_ANSWER. */
  syncAttempts?: number;
}

/** Internal: a response with a failure status. */
class StatusFailure extends Error {
  constructor(
    readonly op: number,
    readonly status: number,
    readonly error: number,
  ) {
    super(`status ${status}, error 0x${error.toString(16)} (${RomError[error] ?? 'unknown'})`);
  }
}

const MiB = 1024 * 1024;

export class Esp32RomClient {
  readonly timeouts: Esp32Timeouts;
  readonly attempts: number;
  readonly syncAttempts: number;
  chip: EspChip | undefined;
  /** true once esptool's flasher stub answers instead of the ROM. */
  stub = false;
  private readonly decoder = new SlipDecoder();
  private readonly pending: Uint8Array[] = [];

  constructor(
    readonly link: SerialTransport,
    options: Esp32ClientOptions = {},
  ) {
    this.timeouts = { ...DEFAULT_ESP32_TIMEOUTS, ...options.timeouts };
    this.attempts = options.attempts ?? 4;
    this.syncAttempts = options.syncAttempts ?? 10;
  }

  private async readPacket(deadline: number): Promise<Uint8Array> {
    for (;;) {
      const next = this.pending.shift();
      if (next) return next;
      const left = deadline - Date.now();
      if (left <= 0) throw new ReadTimeout(1, 0, 0);
      const first = await this.link.read(1, left);
      const more = this.link.rx.available;
      const rest = more > 0 ? await this.link.read(more, 0) : new Uint8Array(0);
      this.pending.push(...this.decoder.push(first), ...this.decoder.push(rest));
    }
  }

  private discard(): void {
    this.link.discardInput();
    this.pending.length = 0;
    this.decoder.reset();
  }

  /** Sends one request and waits for the response with the same opcode. */
  private async exchange(op: number, data: Uint8Array, checksum: number, timeoutMs: number, acceptOther?: (r: Response) => boolean): Promise<Response> {
    this.discard();
    await this.link.write(slipEncode(encodeRequest({ op, data, checksum })));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = decodeResponse(await this.readPacket(deadline));
      if (res && (res.op === op || acceptOther?.(res))) return res;
    }
  }

  /**
   * One command with retries. `payloadLength` is the length of the answer before the status bytes
   * (the ROM sends 4 status bytes, the first two of which matter).
   */
  private async command(name: string, op: number, data: Uint8Array, options: { checksum?: number; timeoutMs?: number; payloadLength?: number } = {}): Promise<Response> {
    const timeoutMs = options.timeoutMs ?? this.timeouts.commandMs;
    const payloadLength = options.payloadLength ?? 0;
    let last: unknown;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        const res = await this.exchange(op, data, options.checksum ?? 0, timeoutMs);
        if (res.data.length < payloadLength + 2) throw new StatusFailure(op, 1, 0x05);
        const status = res.data[payloadLength]!;
        const error = res.data[payloadLength + 1]!;
        if (status !== 0) throw new StatusFailure(op, status, error);
        return res;
      } catch (err) {
        if (!(err instanceof ReadTimeout || err instanceof StatusFailure)) throw err;
        last = err;
      }
    }
    if (last instanceof ReadTimeout) throw new FlashError('TIMEOUT', `no answer to ${name} after ${this.attempts} attempts (${timeoutMs} ms each)`);
    throw new FlashError('DEVICE_ERROR', `the ROM loader refused ${name}: ${(last as Error).message} (after ${this.attempts} attempts)`);
  }

  /** SYNC until the ROM answers; the ROM answers one SYNC several times, the extra answers are drained. */
  async sync(): Promise<void> {
    for (let attempt = 0; attempt < this.syncAttempts; attempt++) {
      try {
        const res = await this.exchange(Op.sync, SYNC_PAYLOAD, 0, this.timeouts.syncMs);
        // The ROM answers SYNC with a non-zero value, a flasher stub still running from an earlier session with 0.
        this.stub = res.value === 0;
        await this.link.rx.drainUntilQuiet(20, 500);
        this.discard();
        return;
      } catch (err) {
        if (!(err instanceof ReadTimeout)) throw err;
      }
    }
    throw new FlashError('NO_ANSWER', `no answer to SYNC (${this.syncAttempts} attempts)`);
  }

  async readReg(address: number): Promise<number> {
    return (await this.command(`READ_REG ${hex32(address)}`, Op.readReg, words(address))).value >>> 0;
  }

  /**
   * The chip id from GET_SECURITY_INFO, or undefined where the ROM lacks the command (it answers with a
   * response that does not echo the opcode, status 1, error 0x05) or the answer has no chip id (ESP32-S2).
   * A lost answer is asked for once more, then the magic register decides.
   */
  async securityInfoChipId(): Promise<number | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      let res: Response;
      try {
        res = await this.exchange(Op.getSecurityInfo, new Uint8Array(0), 0, this.timeouts.commandMs, (r) => r.data.length >= 2 && r.data[0] === 1 && r.data[1] === 0x05);
      } catch (err) {
        if (err instanceof ReadTimeout) continue;
        throw err;
      }
      if (res.op !== Op.getSecurityInfo) return undefined;
      // flags (4), flash_crypt_cnt (1), key_purposes (7), chip_id (4), api_version (4), then 4 status bytes.
      if (res.data.length < 24 || res.data[20] !== 0) return undefined;
      return readWord(res.data, 12);
    }
    return undefined;
  }

  /**
   * esptool's order: the chip id where the ROM reports one, else the magic register. Responses carry no
   * checksum, so a value that names no chip, or names one to refuse, is read again before it is believed.
   */
  async detectChip(): Promise<EspChip> {
    let seen: KnownEspChip | undefined;
    let what = '';
    for (let read = 0; read < 3; read++) {
      const id = await this.securityInfoChipId();
      const byId = id === undefined ? undefined : espChipBySecurityId(id);
      let chip = byId;
      what = `chip id ${id}`;
      if (!chip) {
        const magic = await this.readReg(CHIP_DETECT_MAGIC_REG);
        chip = espChipByMagic(magic);
        what = id === undefined ? `magic register ${hex32(magic)}` : `chip id ${id}, magic register ${hex32(magic)}`;
      }
      if (chip && isSupported(chip)) {
        this.chip = chip;
        return chip;
      }
      // Refuse only a chip named twice in a row.
      if (chip && seen === chip) throw new FlashError('CHIP_MISMATCH', `${refusal(chip)} (${what})`);
      seen = chip;
    }
    if (seen) throw new FlashError('CHIP_MISMATCH', refusal(seen));
    throw new FlashError('CHIP_MISMATCH', `unknown ESP chip (${what}): tinyforge flashes ESP32, ESP32-S2, ESP32-S3 and ESP32-C3`);
  }

  /** Attaches the default SPI flash pins (the ROM needs this before any flash command). */
  async spiAttach(pins = 0): Promise<void> {
    await this.command('SPI_ATTACH', Op.spiAttach, words(pins, 0));
  }

  async spiSetParams(totalSize: number): Promise<void> {
    await this.command('SPI_SET_PARAMS', Op.spiSetParams, words(0, totalSize, 64 * 1024, 4096, 256, 0xffff));
  }

  /** The ROM answers at the old rate, then switches; the host follows and checks the chip still answers. */
  async changeBaudrate(baud: number): Promise<void> {
    const old = this.link.baudRate;
    // The stub wants the rate it runs at now as the second word (to work out its clock); the ROM takes 0.
    await this.command('CHANGE_BAUDRATE', Op.changeBaudrate, words(baud, this.stub ? old : 0));
    await this.link.setBaudRate(baud);
    await new Promise((r) => setTimeout(r, 50));
    this.discard();
    try {
      await this.readReg(CHIP_DETECT_MAGIC_REG);
    } catch (err) {
      if (err instanceof FlashError && err.code === 'TIMEOUT')
        throw new FlashError('TIMEOUT', `the chip stopped answering after switching from ${old} to ${baud} baud: use a lower --baud (115200 always works)`);
      throw err;
    }
  }

  private beginWords(size: number, blocks: number, blockSize: number, offset: number): Uint8Array {
    return this.chip?.beginHasEncryptWord && !this.stub ? words(size, blocks, blockSize, offset, 0) : words(size, blocks, blockSize, offset);
  }

  private eraseTimeout(size: number): number {
    return this.timeouts.eraseBaseMs + Math.ceil((this.timeouts.erasePerMiBMs * size) / MiB);
  }

  async flashBegin(size: number, blocks: number, blockSize: number, offset: number): Promise<void> {
    await this.command('FLASH_BEGIN', Op.flashBegin, this.beginWords(size, blocks, blockSize, offset), { timeoutMs: this.eraseTimeout(size) });
  }

  async flashData(block: Uint8Array, seq: number): Promise<void> {
    await this.command(`FLASH_DATA block ${seq}`, Op.flashData, blockPacket(block, seq), { checksum: dataChecksum(block), timeoutMs: this.timeouts.blockMs });
  }

  /**
   * The flag asks to stay in the loader (1) or reboot (0), but only esptool's flasher stub honours 1: the
   * ROM leaves download mode on END either way, so it is sent to the ROM only to leave it (`leaveLoader`).
   */
  async flashEnd(stayInLoader: boolean): Promise<void> {
    await this.command('FLASH_END', Op.flashEnd, words(stayInLoader ? 1 : 0));
  }

  async flashDeflBegin(uncompressedSize: number, blocks: number, blockSize: number, offset: number): Promise<void> {
    await this.command('FLASH_DEFL_BEGIN', Op.flashDeflBegin, this.beginWords(uncompressedSize, blocks, blockSize, offset), {
      timeoutMs: this.eraseTimeout(uncompressedSize),
    });
  }

  async flashDeflData(block: Uint8Array, seq: number): Promise<void> {
    await this.command(`FLASH_DEFL_DATA block ${seq}`, Op.flashDeflData, blockPacket(block, seq), { checksum: dataChecksum(block), timeoutMs: this.timeouts.blockMs });
  }

  /** Same ROM semantics as `flashEnd`: the ROM leaves download mode whatever the flag. */
  async flashDeflEnd(stayInLoader: boolean): Promise<void> {
    await this.command('FLASH_DEFL_END', Op.flashDeflEnd, words(stayInLoader ? 1 : 0));
  }

  /**
   * Runs the application without touching EN: an empty FLASH_BEGIN (erases nothing) then FLASH_END with
   * reboot, esptool's ROM "soft reset". The last command of a session: the ROM stops answering after it.
   */
  async leaveLoader(): Promise<void> {
    await this.flashBegin(0, 0, 0x400, 0);
    let res: Response;
    try {
      // One try only: a repeat would reach a chip that already left the loader.
      res = await this.exchange(Op.flashEnd, words(0), 0, this.timeouts.commandMs);
    } catch (err) {
      // The images are already verified; an END whose answer was lost has most likely been obeyed.
      if (err instanceof ReadTimeout) return;
      throw err;
    }
    if (res.data[0] !== 0) throw new FlashError('DEVICE_ERROR', `the ROM loader refused FLASH_END (reboot): status ${res.data[0]}, error 0x${(res.data[1] ?? 0).toString(16)}`);
  }

  /** MD5 of a flash region as lowercase hex; the ROM answers it as 32 ASCII characters, the stub as 16 raw bytes. */
  async flashMd5(address: number, size: number): Promise<string> {
    const res = await this.command(`SPI_FLASH_MD5 ${hex32(address)}+${size}`, Op.spiFlashMd5, words(address, size, 0, 0), {
      payloadLength: this.stub ? 16 : 32,
      timeoutMs: this.timeouts.md5BaseMs + Math.ceil((this.timeouts.md5PerMiBMs * size) / MiB),
    });
    if (this.stub) return Array.from(res.data.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
    const text = new TextDecoder().decode(res.data.subarray(0, 32));
    if (!/^[0-9a-f]{32}$/i.test(text)) throw new FlashError('PROTOCOL', `SPI_FLASH_MD5 answered ${JSON.stringify(text)}, not an MD5`);
    return text.toLowerCase();
  }

  /**
   * Loads esptool's flasher stub into RAM (MEM_BEGIN / MEM_DATA / MEM_END with its entry point) and waits
   * for the "OHAI" it sends once it runs; from then on the stub answers.
   */
  async runStub(stub: FlasherStub): Promise<void> {
    const RAM_BLOCK = 0x1800;
    for (const seg of stub.segments) {
      const blocks = Math.ceil(seg.bytes.length / RAM_BLOCK);
      await this.command(`MEM_BEGIN ${hex32(seg.address)}`, Op.memBegin, words(seg.bytes.length, blocks, RAM_BLOCK, seg.address));
      for (let seq = 0; seq < blocks; seq++) {
        const block = seg.bytes.subarray(seq * RAM_BLOCK, (seq + 1) * RAM_BLOCK);
        await this.command(`MEM_DATA block ${seq}`, Op.memData, blockPacket(block, seq), { checksum: dataChecksum(block) });
      }
    }
    // One try: a repeated MEM_END would reach the stub, not the ROM.
    const res = await this.exchange(Op.memEnd, words(0, stub.entry), 0, this.timeouts.commandMs).catch((err: unknown) => {
      if (err instanceof ReadTimeout) throw new FlashError('TIMEOUT', `no answer to MEM_END (starting the flasher stub at ${hex32(stub.entry)}): try --no-stub`);
      throw err;
    });
    if (res.data[0] !== 0) throw new FlashError('DEVICE_ERROR', `the ROM loader refused MEM_END: status ${res.data[0]}, error 0x${(res.data[1] ?? 0).toString(16)}: try --no-stub`);
    const deadline = Date.now() + this.timeouts.commandMs;
    for (;;) {
      let packet: Uint8Array;
      try {
        packet = await this.readPacket(deadline);
      } catch (err) {
        if (err instanceof ReadTimeout) throw new FlashError('NO_ANSWER', `the flasher stub did not say OHAI within ${this.timeouts.commandMs} ms after MEM_END: try --no-stub`);
        throw err;
      }
      if (packet.length === 4 && new TextDecoder().decode(packet) === 'OHAI') break;
    }
    this.stub = true;
  }

  /** Stub only: erases whole 4 KiB sectors. */
  async eraseRegion(address: number, size: number): Promise<void> {
    await this.command(`ERASE_REGION ${hex32(address)}+${size}`, Op.eraseRegion, words(address, size), { timeoutMs: this.eraseTimeout(size) });
  }

  /** Stub only: erases the whole flash chip. */
  async eraseFlash(flashSize: number): Promise<void> {
    await this.command('ERASE_FLASH', Op.eraseFlash, new Uint8Array(0), { timeoutMs: this.eraseTimeout(flashSize) });
  }

  /** The factory MAC (aa:bb:cc:dd:ee:ff) from the chip's eFuses; needs detectChip first. */
  async readMac(): Promise<string> {
    if (!this.chip) throw new Error('readMac before detectChip');
    const reg = MAC_EFUSE_REG[this.chip.name];
    return macFromEfuse(await this.readReg(reg), await this.readReg(reg + 4));
  }

  /**
   * Stub only: reads flash back with the stub's READ_FLASH flow control. After the command's answer the stub
   * sends the data as bare SLIP frames of `READ_BLOCK` bytes, at most `READ_IN_FLIGHT` unacknowledged bytes
   * ahead (esptool's 64: one frame, then it waits); the host acknowledges each frame with the total received
   * so far as one 32-bit word; after the last acknowledgement the stub sends the MD5 of what it read as 16
   * raw bytes. The data frames carry no checksum, so that MD5 is what makes the read trustworthy: a read
   * whose data does not hash to it, or which loses a frame, is abandoned and read once more from the start.
   */
  async readFlash(address: number, size: number, onProgress: (done: number) => void = () => {}): Promise<Uint8Array> {
    if (!this.stub) throw new FlashError('BOARD', 'reading flash back needs the flasher stub: the ESP ROM loader has no READ_FLASH (drop --no-stub, or verify by MD5 only)');
    let last: FlashError | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        return await this.readFlashOnce(address, size, onProgress);
      } catch (err) {
        if (!(err instanceof FlashError) || (err.code !== 'TIMEOUT' && err.code !== 'PROTOCOL')) throw err;
        last = err;
        // The stub may still be sending, or waiting for an acknowledgement: let it finish and go quiet.
        await this.link.write(slipEncode(words(size)));
        await this.link.rx.drainUntilQuiet(50, 1000);
        this.discard();
      }
    }
    throw last!;
  }

  private async readFlashOnce(address: number, size: number, onProgress: (done: number) => void): Promise<Uint8Array> {
    const READ_BLOCK = 0x1000;
    const READ_IN_FLIGHT = 64;
    const what = `READ_FLASH ${hex32(address)}+${size}`;
    await this.command(what, Op.readFlash, words(address, size, READ_BLOCK, READ_IN_FLIGHT), { timeoutMs: this.timeouts.commandMs });
    const out = new Uint8Array(size);
    let got = 0;
    const next = async (): Promise<Uint8Array> => {
      try {
        return await this.readPacket(Date.now() + this.timeouts.blockMs);
      } catch (err) {
        if (err instanceof ReadTimeout) throw new FlashError('TIMEOUT', `${what}: no data after ${got} bytes (${this.timeouts.blockMs} ms)`);
        throw err;
      }
    };
    while (got < size) {
      const frame = await next();
      const want = Math.min(READ_BLOCK, size - got);
      if (frame.length !== want) throw new FlashError('PROTOCOL', `${what}: a data frame of ${frame.length} bytes at ${got}, expected ${want}`);
      out.set(frame, got);
      got += frame.length;
      await this.link.write(slipEncode(words(got)));
      onProgress(got);
    }
    const digest = await next();
    if (digest.length !== 16) throw new FlashError('PROTOCOL', `${what}: the closing MD5 frame has ${digest.length} bytes, not 16`);
    const sent = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    if (md5Hex(out) !== sent) throw new FlashError('PROTOCOL', `${what}: the data read does not hash to the MD5 the stub sent (damaged on the way)`);
    return out;
  }

  /** MD5 answers carry no checksum: a garbled one is asked for again. */
  async flashMd5Checked(address: number, size: number): Promise<string> {
    try {
      return await this.flashMd5(address, size);
    } catch (err) {
      if (!(err instanceof FlashError && err.code === 'PROTOCOL')) throw err;
      return this.flashMd5(address, size);
    }
  }
}

function blockPacket(block: Uint8Array, seq: number): Uint8Array {
  const out = new Uint8Array(16 + block.length);
  out.set(words(block.length, seq, 0, 0));
  out.set(block, 16);
  return out;
}
