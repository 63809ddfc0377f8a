// A small GDB Remote Serial Protocol client over TCP: the typed requests a flasher needs (qSupported, the
// memory map, m/M/X memory access, vFlashErase/vFlashWrite/vFlashDone, qRcmd monitor commands, continue,
// detach), all sent through one `request()` that owns acknowledgements, retransmission and timeouts.
import { connect, type Socket } from 'node:net';
import { FlashError, hex32 } from '../flash-error.ts';
import { encodePacket, escapeBinary, escapedFit, fromHex, RspDecoder, toHex, unescapeBinary } from './rsp-codec.ts';
import { parseMemoryMap, type MemoryRegion } from './memory-map.ts';

export interface GdbClientOptions {
  /** Per request: how long a reply may take (flash erase/write on a big sector takes seconds). */
  timeoutMs?: number;
  /** Retransmissions after a `-` (bad checksum at the stub) or a missing `+`. */
  retries?: number;
  /** What the stub is, for messages ("OpenOCD on port 3333"). */
  name?: string;
}

interface Waiter {
  resolve(reply: Uint8Array): void;
  reject(err: Error): void;
}

export class GdbRemote {
  /** Bytes of payload the stub takes in one packet (qSupported PacketSize; GDB's default 400 until asked). */
  packetSize = 400;
  features = new Map<string, string>();
  /** Text the stub printed through `O` packets (monitor command output, target console). */
  readonly console: string[] = [];
  private readonly decoder = new RspDecoder();
  private acks: ((ok: boolean) => void)[] = [];
  private waiter: Waiter | undefined;
  private queued: Uint8Array[] = [];
  private closed: Error | undefined;
  private collectConsole = false;
  private xSupported: boolean | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly name: string;

  private constructor(private readonly socket: Socket, options: GdbClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 3;
    this.name = options.name ?? 'the GDB server';
    socket.on('data', (chunk: Buffer) => this.receive(new Uint8Array(chunk)));
    const lost = (why: string) => {
      this.closed ??= new FlashError('PORT_CLOSED', `${this.name} closed the connection (${why})`);
      this.waiter?.reject(this.closed);
      this.waiter = undefined;
      for (const a of this.acks.splice(0)) a(false);
    };
    socket.on('error', (e) => lost(e.message));
    socket.on('close', () => lost('closed'));
  }

  static connect(host: string, port: number, options: GdbClientOptions = {}): Promise<GdbRemote> {
    const name = options.name ?? `the GDB server at ${host}:${port}`;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new FlashError('NO_ANSWER', `${name} did not accept a connection within ${options.timeoutMs ?? 10_000} ms`));
      }, options.timeoutMs ?? 10_000);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        resolve(new GdbRemote(socket, { ...options, name }));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(new FlashError('NO_ANSWER', `cannot connect to ${name}: ${e.message}`));
      });
    });
  }

  private receive(bytes: Uint8Array): void {
    for (const ev of this.decoder.push(bytes)) {
      if (ev.kind === 'ack' || ev.kind === 'nak') {
        this.acks.shift()?.(ev.kind === 'ack');
        continue;
      }
      if (!ev.checksumOk) {
        this.socket.write('-'); // the stub sends it again
        continue;
      }
      this.socket.write('+');
      const text = Buffer.from(ev.payload).toString('latin1');
      if (this.collectConsole && text.length > 1 && text[0] === 'O' && text !== 'OK' && /^O([0-9a-fA-F]{2})+$/.test(text)) {
        this.console.push(Buffer.from(text.slice(1), 'hex').toString('utf8'));
        continue;
      }
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w.resolve(ev.payload);
      } else this.queued.push(ev.payload);
    }
  }

  /**
   * Sends one packet and returns the stub's reply: the one place with acks, retransmission and timeouts.
   * `console`: `O` packets before the reply are output text (qRcmd, continue), not the reply.
   */
  async request(payload: string | Uint8Array, options: { timeoutMs?: number; console?: boolean; what?: string } = {}): Promise<Uint8Array> {
    if (this.closed) throw this.closed;
    const bytes = typeof payload === 'string' ? new Uint8Array(Buffer.from(payload, 'latin1')) : payload;
    const what = options.what ?? Buffer.from(bytes.subarray(0, 24)).toString('latin1');
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const frame = encodePacket(bytes);
    this.collectConsole = options.console ?? false;
    this.queued = [];
    let accepted = false;
    for (let attempt = 0; attempt <= this.retries && !accepted; attempt++) {
      const ack = new Promise<boolean | 'timeout'>((resolve) => {
        const timer = setTimeout(() => resolve('timeout'), Math.min(timeoutMs, 2_000));
        this.acks.push((ok) => {
          clearTimeout(timer);
          resolve(ok);
        });
      });
      this.socket.write(frame);
      const got = await ack;
      if (this.closed) throw this.closed;
      if (got === 'timeout') this.acks.shift();
      accepted = got === true;
    }
    if (!accepted) throw new FlashError('TIMEOUT', `${this.name} did not acknowledge '${what}' after ${this.retries + 1} tries`);
    const early = this.queued.shift();
    if (early) return early;
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new FlashError('TIMEOUT', `${this.name} did not answer '${what}' within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  private async requestText(payload: string | Uint8Array, options: { timeoutMs?: number; console?: boolean; what?: string } = {}): Promise<string> {
    return Buffer.from(await this.request(payload, options)).toString('latin1');
  }

  /** Fails on an `Exx` reply (or an empty one: the stub does not know the packet). */
  private async expectOk(payload: string | Uint8Array, what: string, timeoutMs?: number): Promise<void> {
    const reply = await this.requestText(payload, { what, timeoutMs });
    if (reply === 'OK') return;
    if (reply === '') throw new FlashError('PROTOCOL', `${this.name} does not support ${what.split(':')[0]}`);
    throw new FlashError('DEVICE_ERROR', `${this.name} refused ${what} (${reply})`);
  }

  async handshake(): Promise<void> {
    const reply = await this.requestText('qSupported:multiprocess-;swbreak+;hwbreak+', { what: 'qSupported' });
    for (const item of reply.split(';')) {
      const eq = item.indexOf('=');
      if (eq > 0) this.features.set(item.slice(0, eq), item.slice(eq + 1));
      else if (item.endsWith('+')) this.features.set(item.slice(0, -1), '+');
    }
    const size = this.features.get('PacketSize');
    if (size && /^[0-9a-fA-F]+$/.test(size)) this.packetSize = parseInt(size, 16);
    await this.requestText('?', { what: 'halt reason' }); // also the point at which OpenOCD and QEMU have halted the core
  }

  /** The stub's memory map, or [] when it has none (QEMU). */
  async memoryMap(): Promise<MemoryRegion[]> {
    if (this.features.get('qXfer:memory-map:read') !== '+') return [];
    let xml = '';
    for (;;) {
      const reply = await this.request(`qXfer:memory-map:read::${xml.length.toString(16)},${(this.packetSize - 8).toString(16)}`, { what: 'the memory map' });
      const head = reply[0];
      if (head !== 0x6c && head !== 0x6d) throw new FlashError('PROTOCOL', `${this.name} answered the memory-map request with '${Buffer.from(reply.subarray(0, 20)).toString('latin1')}'`);
      xml += Buffer.from(unescapeBinary(reply.subarray(1))).toString('utf8');
      if (head === 0x6c) break; // 'l': last part
    }
    return parseMemoryMap(xml);
  }

  async readMemory(address: number, length: number, onProgress?: (done: number) => void): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    const chunk = Math.max(16, Math.floor((this.packetSize - 8) / 2));
    for (let done = 0; done < length; ) {
      const n = Math.min(chunk, length - done);
      const reply = await this.requestText(`m${(address + done).toString(16)},${n.toString(16)}`, { what: `read ${n} bytes at ${hex32(address + done)}` });
      if (/^E[0-9a-fA-F]{2}$/.test(reply) || reply === '')
        throw new FlashError('DEVICE_ERROR', `${this.name} cannot read ${n} bytes at ${hex32(address + done)} (${reply || 'no reply'})`);
      const bytes = fromHex(reply);
      if (bytes.length === 0) throw new FlashError('PROTOCOL', `${this.name} returned no bytes for ${hex32(address + done)}`);
      out.set(bytes.subarray(0, n), done);
      done += Math.min(n, bytes.length);
      onProgress?.(done);
    }
    return out;
  }

  /** Memory writes: binary X packets where the stub has them, hex M packets otherwise. */
  async writeMemory(address: number, data: Uint8Array, onProgress?: (done: number) => void): Promise<'X' | 'M'> {
    if (this.xSupported === undefined) {
      // GDB's own probe: an empty X write is answered OK by a stub that knows X, and with nothing otherwise.
      this.xSupported = (await this.requestText(`X${address.toString(16)},0:`, { what: 'X probe' })) === 'OK';
    }
    for (let done = 0; done < data.length; ) {
      const at = address + done;
      if (this.xSupported) {
        const head = `X${at.toString(16)},`;
        const n = escapedFit(data, done, this.packetSize - head.length - 16);
        const body = escapeBinary(data.subarray(done, done + n));
        await this.expectOk(concat(`${head}${n.toString(16)}:`, body), `X write at ${hex32(at)}`);
        done += n;
      } else {
        const n = Math.min(data.length - done, Math.floor((this.packetSize - 24) / 2));
        await this.expectOk(`M${at.toString(16)},${n.toString(16)}:${toHex(data.subarray(done, done + n))}`, `M write at ${hex32(at)}`);
        done += n;
      }
      onProgress?.(done);
    }
    return this.xSupported ? 'X' : 'M';
  }

  async flashErase(address: number, length: number): Promise<void> {
    // Erase is slow: a 128 KiB STM32 sector takes up to 2 s, a whole nRF52840 ~ 1 s per 100 pages.
    await this.expectOk(`vFlashErase:${address.toString(16)},${length.toString(16)}`, `vFlashErase of ${length} bytes at ${hex32(address)}`, Math.max(this.timeoutMs, 60_000));
  }

  async flashWrite(address: number, data: Uint8Array, onProgress?: (done: number) => void): Promise<void> {
    for (let done = 0; done < data.length; ) {
      const at = address + done;
      const head = `vFlashWrite:${at.toString(16)}:`;
      const n = escapedFit(data, done, this.packetSize - head.length - 16);
      await this.expectOk(concat(head, escapeBinary(data.subarray(done, done + n))), `vFlashWrite at ${hex32(at)}`);
      done += n;
      onProgress?.(done);
    }
  }

  /** OpenOCD programs the buffered writes here. */
  async flashDone(): Promise<void> {
    await this.expectOk('vFlashDone', 'vFlashDone (programming the flash)', Math.max(this.timeoutMs, 120_000));
  }

  /** `monitor <command>`: the stub's own command line (OpenOCD: `reset run`; QEMU: its HMP, `system_reset`). */
  async monitor(command: string, timeoutMs?: number): Promise<string> {
    const before = this.console.length;
    const reply = await this.requestText(`qRcmd,${Buffer.from(command).toString('hex')}`, { console: true, what: `monitor ${command}`, timeoutMs });
    const printed = this.console.slice(before).join('');
    if (reply === '') throw new FlashError('PROTOCOL', `${this.name} has no monitor commands (monitor ${command})`);
    if (/^E[0-9a-fA-F]{2}$/.test(reply)) throw new FlashError('DEVICE_ERROR', `${this.name} failed 'monitor ${command}' (${reply})${printed.trim() ? `: ${printed.trim().split('\n')[0]}` : ''}`);
    return reply === 'OK' ? printed : printed + Buffer.from(reply, 'hex').toString('utf8');
  }

  /** Resumes the core; resolves with the stop reply (S/T: stopped, W: exited with a status) when it stops. */
  async resume(timeoutMs: number): Promise<string> {
    return this.requestText('c', { console: true, what: 'continue', timeoutMs });
  }

  async detach(): Promise<void> {
    if (this.closed) return;
    try {
      await this.requestText('D', { what: 'detach', timeoutMs: 2_000 });
    } catch {
      // a stub that closes the connection on detach has done what was asked
    }
  }

  close(): void {
    this.closed ??= new FlashError('PORT_CLOSED', `connection to ${this.name} closed`);
    this.socket.destroy();
  }
}

function concat(head: string, body: Uint8Array): Uint8Array {
  const h = Buffer.from(head, 'latin1');
  const out = new Uint8Array(h.length + body.length);
  out.set(h);
  out.set(body, h.length);
  return out;
}
