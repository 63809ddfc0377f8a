// A byte FIFO with "read exactly n bytes or time out": the one primitive both the flashing clients and the
// device simulators read through, so timeouts live in one place.
export class ReadTimeout extends Error {
  override readonly name = 'ReadTimeout';
  constructor(
    readonly wanted: number,
    readonly got: number,
    readonly timeoutMs: number,
  ) {
    super(`read timed out after ${timeoutMs} ms (got ${got} of ${wanted} bytes)`);
  }
}

export class ByteQueue {
  private buf = new Uint8Array(4096);
  private start = 0;
  private end = 0;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  get available(): number {
    return this.end - this.start;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.end + bytes.length > this.buf.length) {
      const live = this.end - this.start;
      const size = Math.max(this.buf.length, (live + bytes.length) * 2);
      const next = size === this.buf.length ? this.buf : new Uint8Array(size);
      next.copyWithin(0, this.start, this.end);
      if (next !== this.buf) next.set(this.buf.subarray(this.start, this.end));
      this.buf = next;
      this.start = 0;
      this.end = live;
    }
    this.buf.set(bytes, this.end);
    this.end += bytes.length;
    this.wake?.();
  }

  /** After fail(), every read rejects with `err` once buffered bytes are not enough. */
  fail(err: Error): void {
    this.failure ??= err;
    this.wake?.();
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  clear(): void {
    this.start = this.end = 0;
  }

  /** Resolves with exactly n bytes; rejects with ReadTimeout if they do not all arrive within timeoutMs. */
  async read(n: number, timeoutMs: number): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    while (this.available < n) {
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new ReadTimeout(n, this.available, timeoutMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
    }
    const out = this.buf.slice(this.start, this.start + n);
    this.start += n;
    if (this.start === this.end) this.start = this.end = 0;
    return out;
  }

  async readByte(timeoutMs: number): Promise<number> {
    return (await this.read(1, timeoutMs))[0]!;
  }

  /** Reads and discards until the line has been quiet for quietMs (or maxMs passed); returns bytes dropped. */
  async drainUntilQuiet(quietMs: number, maxMs: number): Promise<number> {
    const deadline = Date.now() + maxMs;
    let dropped = 0;
    for (;;) {
      dropped += this.available;
      this.clear();
      if (Date.now() >= deadline) return dropped;
      try {
        await this.read(1, Math.min(quietMs, deadline - Date.now()));
        dropped += 1;
      } catch (err) {
        if (err instanceof ReadTimeout) return dropped;
        throw err;
      }
    }
  }
}
