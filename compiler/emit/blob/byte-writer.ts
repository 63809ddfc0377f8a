// A growable little-endian byte sink for binary formats.

export class ByteWriter {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): number {
    if (this.length + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.length + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const at = this.length;
    this.length += n;
    return at;
  }

  // reserve() first: it may replace buf/view, and `this.view.setX(this.reserve(n))` would write to the old one.
  u8(v: number): this { const at = this.reserve(1); this.view.setUint8(at, v); return this; }
  u16(v: number): this { const at = this.reserve(2); this.view.setUint16(at, v, true); return this; }
  u32(v: number): this { const at = this.reserve(4); this.view.setUint32(at, v, true); return this; }
  i32(v: number): this { const at = this.reserve(4); this.view.setInt32(at, v, true); return this; }
  f32(v: number): this { const at = this.reserve(4); this.view.setFloat32(at, v, true); return this; }
  f64(v: number): this { const at = this.reserve(8); this.view.setFloat64(at, v, true); return this; }
  bytes(b: Uint8Array): this { const at = this.reserve(b.length); this.buf.set(b, at); return this; }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u16(b.length).bytes(b);
  }
  align(n: number): this {
    this.reserve((n - (this.length % n)) % n);
    return this;
  }
  patchU32(at: number, v: number): void { this.view.setUint32(at, v, true); }
  finish(): Uint8Array { return this.buf.slice(0, this.length); }
}
