// A simulated ESP32-family ROM serial loader: SLIP packets, SYNC with its repeated answers, the magic
// register, SPI flash commands with 4 KiB erase sectors, compressed writes inflated as they arrive, MD5 of
// flash regions, CHANGE_BAUDRATE, and the dev-board auto-reset circuit on DTR/RTS. Like the chip's ROM, it
// leaves download mode on FLASH_END / FLASH_DEFL_END whichever flag comes with it (only esptool's flasher
// stub stays in the loader for flag 1): after END it runs the application and answers nothing.
//
// It cannot run the Xtensa / RISC-V code of esptool's flasher stub, so it recognises the stub by what the
// host uploads with MEM_BEGIN / MEM_DATA / MEM_END (the segments and entry point of the esptool-js stub for
// its chip, byte for byte), sends "OHAI" and from then on answers as the stub does (esptool's documented stub
// protocol): two status bytes, one SYNC answer with value 0, MD5 as 16 raw bytes, END with flag 1 stays,
// CHANGE_BAUDRATE with the old rate as second word, ERASE_FLASH / ERASE_REGION / READ_FLASH. Any other
// program uploaded to RAM "runs": the loader answers nothing more.
import { createHash } from 'node:crypto';
import { constants, inflateSync } from 'node:zlib';
import { CHIP_DETECT_MAGIC_REG, knownEspChipByName, type KnownEspChip } from '../esp32/chip-detect.ts';
import { Op, SYNC_PAYLOAD, dataChecksum, decodeRequest, encodeResponse, readWord, words } from '../esp32/rom-protocol.ts';
import { SlipDecoder, slipEncode } from '../esp32/slip.ts';
import type { LineState } from '../serial-transport.ts';
import { FlashMemory } from './flash-memory.ts';
import { SimDevice } from './sim-device.ts';
import { flasherStub } from '../esp32/flasher-stub.ts';
import { espChipByName } from '../esp32/chip-detect.ts';
import { MAC_EFUSE_REG, efuseFromMac } from '../esp32/mac-address.ts';

export interface Esp32SimOptions {
  /** Any chip esptool knows ('ESP32-S3', 'ESP32-C6', 'ESP8266'...): its magic value and GET_SECURITY_INFO. */
  chip?: string;
  flashSize?: number;
  /** 'classic' = DTR/RTS wired to GPIO0/EN as on DevKitC boards; 'none' = held in download mode by hand. */
  wiring?: 'classic' | 'none';
  /** Largest data block accepted per FLASH_DATA packet. */
  maxBlock?: number;
  /** The factory MAC in the chip's eFuses (aa:bb:cc:dd:ee:ff). */
  mac?: string;
}

/** The stub's READ_FLASH in progress: what it has sent and what the host has acknowledged. */
interface ReadSession {
  address: number;
  length: number;
  blockSize: number;
  maxUnacked: number;
  sent: number;
  acked: number;
  md5: ReturnType<typeof createHash>;
}

const ERR_INVALID = 0x05;
const ERR_FAILED = 0x06;
const ERR_CRC = 0x07;
const ERR_DEFLATE = 0x0b;
const ROM_BAUD = 115200;

interface WriteSession {
  compressed: boolean;
  offset: number;
  eraseEnd: number;
  blocks: number;
  blockSize: number;
  nextSeq: number;
  /** Compressed bytes received so far, and how many inflated bytes were already programmed. */
  packed: Uint8Array[];
  inflated: number;
}

export class Esp32RomSim extends SimDevice {
  readonly chip: KnownEspChip;
  readonly flash: FlashMemory;
  readonly wiring: 'classic' | 'none';
  readonly maxBlock: number;
  mode: 'download' | 'application' | 'held-in-reset';
  baud = ROM_BAUD;
  private spiAttached = false;
  private session: WriteSession | undefined;
  private reading: ReadSession | undefined;
  readonly mac: string;
  private readonly efuse: Map<number, number>;
  private readonly decoder = new SlipDecoder();
  /** true once esptool's flasher stub was uploaded and started. */
  stub = false;
  private ram: { address: number; size: number; blockSize: number; blocks: number; nextSeq: number; bytes: Uint8Array }[] = [];
  readonly counters = { resets: 0, syncs: 0, baudChanges: 0, duplicateBlocks: 0, loaderExits: 0, stubStarts: 0, readBacks: 0, flashBegins: 0, syncsAfterBegin: 0 };

  constructor(options: Esp32SimOptions = {}) {
    super();
    const chip = knownEspChipByName(options.chip ?? 'ESP32');
    if (!chip) throw new Error(`unknown ESP chip ${options.chip}`);
    this.chip = chip;
    const size = options.flashSize ?? 4 * 1024 * 1024;
    this.flash = new FlashMemory(0, new Array<number>(size / 4096).fill(4096));
    this.wiring = options.wiring ?? 'none';
    this.mode = this.wiring === 'none' ? 'download' : 'application';
    this.maxBlock = options.maxBlock ?? 0x4000;
    this.mac = options.mac ?? '24:0a:c4:00:00:01';
    const supported = espChipByName(chip.name);
    const [w0, w1] = efuseFromMac(this.mac);
    this.efuse = new Map(supported ? [[MAC_EFUSE_REG[supported.name], w0], [MAC_EFUSE_REG[supported.name] + 4, w1]] : []);
  }

  protected override deviceBaud(): number | undefined {
    return this.baud;
  }

  /** EN is low when RTS alone is asserted; GPIO0 is low when DTR alone is asserted. */
  private pins(l: Required<LineState>): { en: boolean; io0: boolean } {
    return { en: !(l.rts && !l.dtr), io0: !(l.dtr && !l.rts) };
  }

  protected override onLines(before: Required<LineState>): void {
    if (this.wiring === 'none') return;
    const was = this.pins(before);
    const now = this.pins(this.lines);
    if (was.en && !now.en) {
      this.mode = 'held-in-reset';
      this.powerOn();
    } else if (!was.en && now.en) {
      this.mode = now.io0 ? 'application' : 'download';
      this.powerOn();
      const banner =
        this.mode === 'download'
          ? 'ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))\r\nwaiting for download\r\n'
          : 'ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n';
      this.send(new TextEncoder().encode(banner));
    }
  }

  private powerOn(): void {
    this.counters.resets++;
    this.baud = ROM_BAUD;
    this.spiAttached = false;
    this.session = undefined;
    this.reading = undefined;
    this.stub = false;
    this.ram = [];
    this.decoder.reset();
    this.resetChip();
  }

  private reply(op: number, status: number, error: number, payload: Uint8Array = new Uint8Array(0), value = 0): void {
    // The ROM ends a response with 4 status bytes (2 used), the stub with 2.
    const data = new Uint8Array(payload.length + (this.stub ? 2 : 4));
    data.set(payload);
    data[payload.length] = status;
    data[payload.length + 1] = error;
    this.send(slipEncode(encodeResponse({ op, value, data })));
  }

  protected override async serve(): Promise<void> {
    for (;;) {
      const first = await this.rx.read(1, SimDevice.FOREVER);
      const more = this.rx.available;
      const bytes = more > 0 ? Uint8Array.of(...first, ...(await this.rx.read(more, 0))) : first;
      if (this.mode !== 'download') continue;
      for (const packet of this.decoder.push(bytes)) this.handle(packet);
    }
  }

  private handle(packet: Uint8Array): void {
    // During READ_FLASH the stub listens for 4-byte acknowledgements only. (What the real stub makes of a
    // command arriving mid-read is not documented; here a well-formed request abandons the read.)
    if (this.reading && packet.length === 4) return this.readAck(readWord(packet, 0));
    const req = decodeRequest(packet);
    if (!req) return;
    this.reading = undefined;
    if (req.sizeField !== req.data.length) return this.reply(req.op, 1, ERR_INVALID);
    if (req.op === Op.sync) return this.sync(req.data);
    if (this.faults?.refuseCommand()) return this.reply(req.op, 1, ERR_FAILED);
    const d = req.data;
    const w = (i: number) => readWord(d, i * 4);
    switch (req.op) {
      case Op.readReg:
        if (d.length !== 4) return this.reply(req.op, 1, ERR_INVALID);
        return this.reply(req.op, 0, 0, undefined, w(0) === CHIP_DETECT_MAGIC_REG ? this.chip.magics[0]! : (this.efuse.get(w(0)) ?? 0));
      case Op.writeReg:
        return this.reply(req.op, d.length >= 16 ? 0 : 1, d.length >= 16 ? 0 : ERR_INVALID);
      case Op.spiAttach:
        if (d.length !== 4 && d.length !== 8) return this.reply(req.op, 1, ERR_INVALID);
        this.spiAttached = true;
        return this.reply(req.op, 0, 0);
      case Op.spiSetParams:
        return this.reply(req.op, d.length === 24 ? 0 : 1, d.length === 24 ? 0 : ERR_INVALID);
      case Op.changeBaudrate: {
        if (d.length !== 8 || w(0) < 300) return this.reply(req.op, 1, ERR_INVALID);
        // Answer at the old rate, then switch.
        this.reply(req.op, 0, 0);
        this.counters.baudChanges++;
        this.baud = w(0);
        return;
      }
      case Op.flashBegin:
      case Op.flashDeflBegin:
        return this.begin(req.op, d);
      case Op.flashData:
      case Op.flashDeflData:
        return this.data(req.op, d, req.checksum);
      case Op.flashEnd:
      case Op.flashDeflEnd:
        return this.end(req.op, d);
      case Op.memBegin:
        return this.memBegin(d);
      case Op.memData:
        return this.memData(d, req.checksum);
      case Op.memEnd:
        return this.memEnd(d);
      case Op.spiFlashMd5: {
        if (d.length !== 16) return this.reply(req.op, 1, ERR_INVALID);
        if (!this.spiAttached || !this.flash.contains(w(0), w(1))) return this.reply(req.op, 1, ERR_FAILED);
        const digest = createHash('md5').update(this.flash.read(w(0), w(1)));
        // The ROM answers 32 ASCII hex characters, the stub the 16 raw bytes.
        return this.reply(req.op, 0, 0, this.stub ? new Uint8Array(digest.digest()) : new TextEncoder().encode(digest.digest('hex')));
      }
      case Op.eraseFlash:
        if (!this.stub) return this.unsupported(req.op);
        for (let sct = 0; sct < this.flash.size / 4096; sct++) this.flash.eraseSector(sct);
        return this.reply(req.op, 0, 0);
      case Op.eraseRegion: {
        if (!this.stub) return this.unsupported(req.op);
        if (d.length !== 8 || w(0) % 4096 !== 0 || w(1) % 4096 !== 0 || !this.flash.contains(w(0), w(1))) return this.reply(req.op, 1, ERR_FAILED);
        for (let a = w(0); a < w(0) + w(1); a += 4096) this.flash.eraseSector(this.flash.sectorAt(a));
        return this.reply(req.op, 0, 0);
      }
      case Op.readFlash:
        if (!this.stub) return this.unsupported(req.op);
        return this.readFlash(d);
      case Op.getSecurityInfo: {
        const info = this.chip.securityInfo;
        if (info === 'unsupported') return this.unsupported(req.op);
        // flags, flash_crypt_cnt, key_purposes[7], then (not on the ESP32-S2) chip_id and api_version.
        const head = Uint8Array.of(...words(0), 0, 0, 0, 0, 0, 0, 0, 0);
        return this.reply(req.op, 0, 0, info === 'no-chip-id' ? head : Uint8Array.of(...head, ...words(info.chipId, 0)));
      }
      default:
        return this.unsupported(req.op);
    }
  }

  /** The ROM answers an unknown command with a response that does not echo its opcode (esptool relies on this). */
  private unsupported(_op: number): void {
    this.reply(0x00, 1, ERR_INVALID);
  }

  private sync(d: Uint8Array): void {
    if (d.length !== SYNC_PAYLOAD.length || d.some((b, i) => b !== SYNC_PAYLOAD[i])) return;
    this.counters.syncs++;
    // A SYNC once writing has begun means the client lost the session and started over.
    if (this.counters.flashBegins > 0) this.counters.syncsAfterBegin++;
    if (this.stub) return this.reply(Op.sync, 0, 0);
    // The ROM answers one SYNC eight times, with a non-zero value (the flasher stub answers 0).
    for (let i = 0; i < 8; i++) this.reply(Op.sync, 0, 0, undefined, 0x20120707);
  }

  private begin(op: number, d: Uint8Array): void {
    // Four words, or five with the encryption flag (newer ROMs use it; the ESP32 ROM reads past none of it,
    // and esptool-js sends it to every ROM on FLASH_BEGIN).
    if (d.length !== 16 && d.length !== 20) return this.reply(op, 1, ERR_INVALID);
    const [size, blocks, blockSize, offset] = [0, 1, 2, 3].map((i) => readWord(d, i * 4)) as [number, number, number, number];
    if (!this.spiAttached || blockSize === 0 || blockSize > this.maxBlock || offset % 4096 !== 0 || !this.flash.contains(offset, size))
      return this.reply(op, 1, ERR_FAILED);
    const first = this.flash.sectorAt(offset);
    const last = size > 0 ? this.flash.sectorAt(offset + size - 1) : first - 1;
    for (let s = first; s <= last; s++) this.flash.eraseSector(s);
    this.counters.flashBegins++;
    this.session = { compressed: op === Op.flashDeflBegin, offset, eraseEnd: offset + size, blocks, blockSize, nextSeq: 0, packed: [], inflated: 0 };
    this.reply(op, 0, 0);
  }

  private data(op: number, d: Uint8Array, checksum: number): void {
    const s = this.session;
    if (!s || s.compressed !== (op === Op.flashDeflData) || d.length < 16) return this.reply(op, 1, ERR_FAILED);
    const length = readWord(d, 0);
    const seq = readWord(d, 4);
    const block = d.subarray(16);
    if (length !== block.length || length > this.maxBlock) return this.reply(op, 1, ERR_INVALID);
    if (dataChecksum(block) !== (checksum & 0xff)) return this.reply(op, 1, ERR_CRC);
    if (seq === s.nextSeq - 1) {
      // A repeat of the block just written (its answer was lost): acknowledge without applying it twice.
      this.counters.duplicateBlocks++;
      return this.reply(op, 0, 0);
    }
    if (seq !== s.nextSeq || seq >= s.blocks) return this.reply(op, 1, ERR_INVALID);
    if (!s.compressed) {
      const at = s.offset + seq * s.blockSize;
      if (!this.flash.contains(at, block.length)) return this.reply(op, 1, ERR_FAILED);
      this.flash.program(at, block);
    } else {
      s.packed.push(Uint8Array.from(block));
      let out: Buffer;
      try {
        out = inflateSync(Buffer.concat(s.packed), { finishFlush: constants.Z_SYNC_FLUSH });
      } catch {
        s.packed.pop();
        return this.reply(op, 1, ERR_DEFLATE);
      }
      const fresh = out.subarray(s.inflated);
      if (s.offset + out.length > s.eraseEnd) return this.reply(op, 1, ERR_DEFLATE);
      this.flash.program(s.offset + s.inflated, fresh);
      s.inflated = out.length;
    }
    s.nextSeq++;
    this.reply(op, 0, 0);
  }

  private end(op: number, d: Uint8Array): void {
    if (d.length !== 4) return this.reply(op, 1, ERR_INVALID);
    const s = this.session;
    if (!s || s.compressed !== (op === Op.flashDeflEnd)) return this.reply(op, 1, ERR_FAILED);
    this.reply(op, 0, 0);
    // The stub stays for flag 1 (esptool's reboot=False); the ROM leaves whatever the flag.
    if (this.stub && readWord(d, 0) === 1) {
      this.session = undefined;
      return;
    }
    this.leaveLoader(readWord(d, 0) === 0 ? 'reboot' : 'run');
  }

  private memBegin(d: Uint8Array): void {
    if (d.length !== 16) return this.reply(Op.memBegin, 1, ERR_INVALID);
    const [size, blocks, blockSize, address] = [0, 1, 2, 3].map((i) => readWord(d, i * 4)) as [number, number, number, number];
    if (blockSize === 0 || blockSize > 0x1800 || blocks * blockSize < size || size > 0x40000) return this.reply(Op.memBegin, 1, ERR_FAILED);
    this.ram.push({ address, size, blockSize, blocks, nextSeq: 0, bytes: new Uint8Array(size) });
    this.reply(Op.memBegin, 0, 0);
  }

  private memData(d: Uint8Array, checksum: number): void {
    const seg = this.ram.at(-1);
    if (!seg || d.length < 16) return this.reply(Op.memData, 1, ERR_FAILED);
    const length = readWord(d, 0);
    const seq = readWord(d, 4);
    const block = d.subarray(16);
    if (length !== block.length || length > seg.blockSize) return this.reply(Op.memData, 1, ERR_INVALID);
    if (dataChecksum(block) !== (checksum & 0xff)) return this.reply(Op.memData, 1, ERR_CRC);
    if (seq === seg.nextSeq - 1) return this.reply(Op.memData, 0, 0);
    if (seq !== seg.nextSeq || seq * seg.blockSize + length > seg.size) return this.reply(Op.memData, 1, ERR_INVALID);
    seg.bytes.set(block, seq * seg.blockSize);
    seg.nextSeq++;
    this.reply(Op.memData, 0, 0);
  }

  /** MEM_END(flag, entry): flag 0 jumps to the entry. Only the esptool stub's own image and entry are "run" as the stub. */
  private memEnd(d: Uint8Array): void {
    if (d.length !== 8) return this.reply(Op.memEnd, 1, ERR_INVALID);
    this.reply(Op.memEnd, 0, 0);
    const [flag, entry] = [readWord(d, 0), readWord(d, 4)];
    if (flag !== 0) return;
    const supported = espChipByName(this.chip.name);
    const stub = supported && flasherStub(supported.name);
    const uploaded = this.ram;
    this.ram = [];
    const isStub =
      stub &&
      !this.stub &&
      entry === stub.entry &&
      // RAM keeps what earlier, interrupted uploads left: the latest segment loaded at each address counts.
      stub.segments.every((s) => {
        const seg = [...uploaded].reverse().find((u) => u.address === s.address);
        return seg !== undefined && seg.nextSeq === seg.blocks && Buffer.compare(seg.bytes, s.bytes) === 0;
      });
    if (!isStub) {
      // Some other program now runs from RAM: the loader is gone.
      this.counters.loaderExits++;
      this.mode = 'application';
      this.session = undefined;
      return;
    }
    this.stub = true;
    this.counters.stubStarts++;
    this.send(slipEncode(new TextEncoder().encode('OHAI')));
  }

  /**
   * The stub's READ_FLASH(offset, length, block size, max unacknowledged bytes), as esptool's stub does it:
   * the answer first, then bare SLIP frames of flash data, never more than `max unacknowledged` bytes ahead
   * of the host's last acknowledgement (a word: bytes received so far); once the host has acknowledged
   * everything (or more than was sent), the MD5 of the data sent, 16 raw bytes.
   */
  private readFlash(d: Uint8Array): void {
    if (d.length !== 16) return this.reply(Op.readFlash, 1, ERR_INVALID);
    const [address, length, blockSize, maxUnacked] = [0, 1, 2, 3].map((i) => readWord(d, i * 4)) as [number, number, number, number];
    if (blockSize === 0 || blockSize > 4096 || maxUnacked === 0 || !this.spiAttached || !this.flash.contains(address, length)) return this.reply(Op.readFlash, 1, ERR_FAILED);
    this.reply(Op.readFlash, 0, 0);
    this.counters.readBacks++;
    this.reading = { address, length, blockSize, maxUnacked, sent: 0, acked: 0, md5: createHash('md5') };
    this.readPump();
  }

  private readAck(acked: number): void {
    this.reading!.acked = acked;
    this.readPump();
  }

  private readPump(): void {
    const r = this.reading!;
    if (r.acked < r.length && r.acked <= r.sent) {
      while (r.sent < r.length && r.sent - r.acked < r.maxUnacked) {
        const chunk = this.flash.read(r.address + r.sent, Math.min(r.blockSize, r.length - r.sent));
        this.send(slipEncode(chunk));
        r.md5.update(chunk);
        r.sent += chunk.length;
      }
      return;
    }
    this.reading = undefined;
    this.send(slipEncode(new Uint8Array(r.md5.digest())));
  }

  /** 1 jumps to the application in flash, 0 reboots (from flash: GPIO0 is read only at power-on reset). */
  private leaveLoader(how: 'reboot' | 'run'): void {
    this.counters.loaderExits++;
    this.mode = 'application';
    this.session = undefined;
    this.spiAttached = false;
    this.decoder.reset();
    if (how === 'reboot') {
      this.baud = ROM_BAUD;
      this.send(new TextEncoder().encode('ets Jun  8 2016 00:22:57\r\n\r\nrst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n'));
    }
  }
}
