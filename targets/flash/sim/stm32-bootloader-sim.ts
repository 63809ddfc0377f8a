// A simulated STM32 system-memory bootloader speaking AN3155 over its USART: autobaud on 0x7F, command and
// complement, XOR checksums, the flash model of its chip line, write/readout protection, and a board model
// of how DTR/RTS reach NRST and BOOT0.
import { ACK, Command, INIT, NACK, readU32BE, xorChecksum } from '../stm32/an3155-codec.ts';
import { stm32ChipById, type Stm32Chip } from '../stm32/chip-ids.ts';
import type { Stm32ResetMode } from '../stm32/reset-sequences.ts';
import type { LineState } from '../serial-transport.ts';
import { FlashMemory } from './flash-memory.ts';
import { SimDevice } from './sim-device.ts';

export interface Stm32SimOptions {
  pid: number;
  /** How the board wires DTR/RTS to NRST/BOOT0; 'none' = BOOT0 strapped high by hand, always in the bootloader. */
  wiring?: Stm32ResetMode;
  readoutProtected?: boolean;
  writeProtected?: boolean;
}

export class Stm32BootloaderSim extends SimDevice {
  readonly chip: Stm32Chip;
  readonly flash: FlashMemory;
  readonly wiring: Stm32ResetMode;
  mode: 'bootloader' | 'application' | 'held-in-reset';
  readoutProtected: boolean;
  writeProtected: boolean;
  private initialized = false;
  /** Counts resets and commands, for tests that check what the flasher did. */
  readonly counters = { resets: 0, commands: 0, goes: 0 };

  constructor(options: Stm32SimOptions) {
    super();
    const chip = stm32ChipById(options.pid);
    if (!chip) throw new Error(`no STM32 chip with id 0x${options.pid.toString(16)} in the table`);
    this.chip = chip;
    this.flash = new FlashMemory(chip.flashBase, chip.sectors);
    this.wiring = options.wiring ?? 'none';
    this.mode = this.wiring === 'none' ? 'bootloader' : 'application';
    this.readoutProtected = options.readoutProtected ?? false;
    this.writeProtected = options.writeProtected ?? false;
  }

  get commandList(): number[] {
    return [
      Command.get,
      Command.getVersion,
      Command.getId,
      Command.readMemory,
      Command.go,
      Command.writeMemory,
      this.chip.eraseCommand === 'erase' ? Command.erase : Command.extendedErase,
      Command.writeProtect,
      Command.writeUnprotect,
      Command.readoutProtect,
      Command.readoutUnprotect,
    ];
  }

  /** NRST and BOOT0 levels implied by the modem lines under this board's wiring (asserted line = active). */
  private pins(lines: Required<LineState>): { reset: boolean; boot0: boolean } {
    switch (this.wiring) {
      case 'none':
        return { reset: false, boot0: true };
      case 'dtr-reset-rts-boot0':
        return { reset: lines.dtr, boot0: lines.rts };
      case 'rts-reset-dtr-boot0':
        return { reset: lines.rts, boot0: lines.dtr };
    }
  }

  protected override onLines(before: Required<LineState>): void {
    const was = this.pins(before);
    const now = this.pins(this.lines);
    if (now.reset && !was.reset) {
      this.mode = 'held-in-reset';
      this.restart();
    } else if (!now.reset && was.reset) {
      // BOOT0 is sampled on the rising edge of NRST.
      this.mode = now.boot0 ? 'bootloader' : 'application';
      this.restart();
    }
  }

  /** A system reset (after protection changes, or NRST): the bootloader must be autobauded again. */
  private restart(): void {
    this.counters.resets++;
    this.initialized = false;
    this.resetChip();
  }

  private ack(): void {
    this.send(Uint8Array.of(ACK));
  }

  private nack(): void {
    this.send(Uint8Array.of(NACK));
  }

  private byte(): Promise<number> {
    return this.rx.readByte(SimDevice.FOREVER);
  }

  private bytes(n: number): Promise<Uint8Array> {
    return this.rx.read(n, SimDevice.FOREVER);
  }

  /** Reads address + checksum; NACKs and returns undefined when the checksum or the address is bad. */
  private async address(valid: (a: number) => boolean): Promise<number | undefined> {
    const frame = await this.bytes(5);
    const a = readU32BE(frame);
    if (xorChecksum(frame.subarray(0, 4)) !== frame[4] || !valid(a)) {
      this.nack();
      return undefined;
    }
    this.ack();
    return a;
  }

  protected override async serve(): Promise<void> {
    for (;;) {
      const code = await this.byte();
      if (this.mode !== 'bootloader') continue; // the application ignores the UART in this model
      if (!this.initialized) {
        if (code === INIT) {
          this.initialized = true;
          this.ack();
        }
        continue;
      }
      const complement = await this.byte();
      if (complement !== (code ^ 0xff) || !this.commandList.includes(code)) {
        this.nack();
        continue;
      }
      this.counters.commands++;
      if (this.faults?.refuseCommand()) {
        this.nack();
        continue;
      }
      await this.execute(code);
    }
  }

  private async execute(code: number): Promise<void> {
    switch (code) {
      case Command.get:
        this.ack();
        this.send(Uint8Array.of(this.commandList.length, this.chip.bootloaderVersion, ...this.commandList, ACK));
        return;
      case Command.getVersion:
        this.ack();
        this.send(Uint8Array.of(this.chip.bootloaderVersion, 0, 0, ACK));
        return;
      case Command.getId:
        this.ack();
        this.send(Uint8Array.of(1, this.chip.pid >> 8, this.chip.pid & 0xff, ACK));
        return;
      case Command.readMemory: {
        if (this.readoutProtected) return this.nack();
        this.ack();
        const a = await this.address((x) => this.flash.contains(x, 1));
        if (a === undefined) return;
        const [n, c] = await this.bytes(2);
        if ((n! ^ 0xff) !== c || !this.flash.contains(a, n! + 1)) return this.nack();
        this.ack();
        this.send(this.flash.read(a, n! + 1));
        return;
      }
      case Command.writeMemory: {
        if (this.readoutProtected) return this.nack();
        this.ack();
        const a = await this.address((x) => this.flash.contains(x, 1) && x % 4 === 0);
        if (a === undefined) return;
        const n = (await this.byte()) + 1;
        const data = await this.bytes(n);
        const sum = await this.byte();
        if (xorChecksum(data, n - 1) !== sum || !this.flash.contains(a, n) || this.writeProtected) return this.nack();
        this.flash.program(a, data);
        this.ack();
        return;
      }
      case Command.erase: {
        if (this.readoutProtected) return this.nack();
        this.ack();
        const n = await this.byte();
        if (n === 0xff) {
          const sum = await this.byte();
          if (sum !== 0x00 || this.writeProtected) return this.nack();
          this.flash.eraseAll();
          return this.ack();
        }
        const pages = await this.bytes(n + 1);
        const sum = await this.byte();
        if (xorChecksum(pages, n) !== sum || this.writeProtected || pages.some((p) => p >= this.flash.sectorCount)) return this.nack();
        for (const p of pages) this.flash.eraseSector(p);
        return this.ack();
      }
      case Command.extendedErase: {
        if (this.readoutProtected) return this.nack();
        this.ack();
        const head = await this.bytes(2);
        const n = (head[0]! << 8) | head[1]!;
        if (n >= 0xfff0) {
          const sum = await this.byte();
          if (sum !== xorChecksum(head) || this.writeProtected || n < 0xfffd) return this.nack();
          this.flash.eraseAll(); // mass erase or bank erase: the model has no banks
          return this.ack();
        }
        const list = await this.bytes((n + 1) * 2);
        const sum = await this.byte();
        const pages: number[] = [];
        for (let i = 0; i < list.length; i += 2) pages.push((list[i]! << 8) | list[i + 1]!);
        if (xorChecksum(list, xorChecksum(head)) !== sum || this.writeProtected || pages.some((p) => p >= this.flash.sectorCount)) return this.nack();
        for (const p of pages) this.flash.eraseSector(p);
        return this.ack();
      }
      case Command.go: {
        if (this.readoutProtected) return this.nack();
        this.ack();
        const a = await this.address(() => true);
        if (a === undefined) return;
        this.counters.goes++;
        this.mode = 'application';
        return;
      }
      case Command.writeProtect: {
        if (this.readoutProtected) return this.nack();
        this.ack();
        const n = await this.byte();
        const sectors = await this.bytes(n + 1);
        if ((await this.byte()) !== xorChecksum(sectors, n)) return this.nack();
        this.writeProtected = true;
        this.ack();
        return this.restart();
      }
      case Command.writeUnprotect:
        this.ack();
        this.writeProtected = false;
        this.ack();
        return this.restart();
      case Command.readoutProtect:
        this.ack();
        this.readoutProtected = true;
        this.ack();
        return this.restart();
      case Command.readoutUnprotect:
        this.ack();
        this.flash.eraseAll();
        this.readoutProtected = false;
        this.ack();
        return this.restart();
    }
  }
}
