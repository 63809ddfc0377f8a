// Seeded, reproducible line faults between a host and a simulated device. Byte positions count the bytes seen
// in one direction since the injector was installed, so a fault hits the same byte on every replay.
import { SeededRandom } from '../../../lib/seeded-random.ts';

export type Direction = 'toDevice' | 'toHost';

export type Fault =
  | { kind: 'drop'; direction: Direction; atByte: number }
  | { kind: 'corrupt'; direction: Direction; atByte: number; xor: number }
  | { kind: 'delay'; direction: Direction; atByte: number; ms: number }
  /** The device refuses its Nth command (0-based, counted from the first command after installation). */
  | { kind: 'nack'; atCommand: number }
  /** The device goes deaf and mute for `ms`: bytes both ways are lost meanwhile. */
  | { kind: 'stall'; direction: Direction; atByte: number; ms: number }
  | { kind: 'disconnect'; direction: Direction; atByte: number };

export type FaultKind = Fault['kind'];

export class FaultInjector {
  readonly fired: Fault[] = [];
  private counts: Record<Direction, number> = { toDevice: 0, toHost: 0 };
  private heldUntil: Record<Direction, number> = { toDevice: 0, toHost: 0 };
  private held: Record<Direction, number[]> = { toDevice: [], toHost: [] };
  private timers: Record<Direction, ReturnType<typeof setTimeout> | undefined> = { toDevice: undefined, toHost: undefined };
  private stalledUntil = 0;
  private commands = 0;
  private disconnected = false;

  constructor(
    readonly faults: readonly Fault[],
    private readonly onDisconnect: () => void = () => {},
  ) {}

  /** A plan with one fault of the given kind at a random position; deterministic in `seed`. */
  static random(seed: number, kind: FaultKind, opts: { bytesToDevice: number; bytesToHost: number; commands: number; maxDelayMs?: number; stallMs?: number }): Fault {
    const rng = new SeededRandom(seed);
    const direction: Direction = rng.next() < 0.6 ? 'toDevice' : 'toHost';
    const atByte = rng.int(0, Math.max(0, (direction === 'toDevice' ? opts.bytesToDevice : opts.bytesToHost) - 1));
    switch (kind) {
      case 'drop':
        return { kind, direction, atByte };
      case 'corrupt':
        return { kind, direction, atByte, xor: 1 << rng.int(0, 7) };
      case 'delay':
        return { kind, direction, atByte, ms: rng.int(5, opts.maxDelayMs ?? 150) };
      case 'nack':
        return { kind, atCommand: rng.int(0, Math.max(0, opts.commands - 1)) };
      case 'stall':
        return { kind, direction, atByte, ms: opts.stallMs ?? 400 };
      case 'disconnect':
        return { kind, direction, atByte };
    }
  }

  /** Called by the device once per command it is about to execute; true means answer with a refusal. */
  refuseCommand(): boolean {
    const n = this.commands++;
    const hit = this.faults.find((f) => f.kind === 'nack' && f.atCommand === n);
    if (hit) this.fired.push(hit);
    return hit !== undefined;
  }

  pass(direction: Direction, bytes: Uint8Array, deliver: (b: Uint8Array) => void): void {
    const out: number[] = [];
    for (const byte of bytes) {
      if (this.disconnected) return;
      const index = this.counts[direction]++;
      let b: number | undefined = byte;
      for (const f of this.faults) {
        if (f.kind === 'nack' || f.direction !== direction || f.atByte !== index) continue;
        this.fired.push(f);
        if (f.kind === 'drop') b = undefined;
        else if (f.kind === 'corrupt') b = byte ^ f.xor;
        else if (f.kind === 'delay') this.heldUntil[direction] = Date.now() + f.ms;
        else if (f.kind === 'stall') this.stalledUntil = Date.now() + f.ms;
        else if (f.kind === 'disconnect') {
          this.disconnected = true;
          this.flushOut(direction, out, deliver);
          this.onDisconnect();
          return;
        }
      }
      if (Date.now() < this.stalledUntil) continue;
      if (b !== undefined) out.push(b);
    }
    this.flushOut(direction, out, deliver);
  }

  private flushOut(direction: Direction, out: number[], deliver: (b: Uint8Array) => void): void {
    if (out.length === 0) return;
    const wait = this.heldUntil[direction] - Date.now();
    if (wait <= 0 && this.held[direction].length === 0) {
      deliver(Uint8Array.from(out));
      return;
    }
    // Delayed bytes keep their order: everything after a delayed byte waits behind it.
    this.held[direction].push(...out);
    if (this.timers[direction]) return;
    this.timers[direction] = setTimeout(() => {
      this.timers[direction] = undefined;
      const bytes = Uint8Array.from(this.held[direction]);
      this.held[direction] = [];
      if (!this.disconnected) deliver(bytes);
    }, Math.max(0, wait));
  }

  dispose(): void {
    for (const d of ['toDevice', 'toHost'] as const) {
      if (this.timers[d]) clearTimeout(this.timers[d]);
      this.timers[d] = undefined;
      this.held[d] = [];
    }
  }
}
