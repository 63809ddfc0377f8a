// Bounds-checked little-endian reads: a corrupt blob ends in BlobFormatError, never a RangeError.
import { BlobFormatError } from './blob-format-error.ts';

export class ByteReader {
  private view: DataView;
  at: number;

  constructor(private readonly data: Uint8Array, start = 0, private readonly end = data.length) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.at = start;
  }

  private take(n: number, what: string): number {
    if (n < 0 || this.at + n > this.end) {
      throw new BlobFormatError(`model blob truncated: ${what} at byte ${this.at} needs ${n} B, ${this.end - this.at} B left`);
    }
    const at = this.at;
    this.at += n;
    return at;
  }
  u8(what = 'u8'): number { return this.view.getUint8(this.take(1, what)); }
  u16(what = 'u16'): number { return this.view.getUint16(this.take(2, what), true); }
  u32(what = 'u32'): number { return this.view.getUint32(this.take(4, what), true); }
  i32(what = 'i32'): number { return this.view.getInt32(this.take(4, what), true); }
  f32(what = 'f32'): number { return this.view.getFloat32(this.take(4, what), true); }
  f64(what = 'f64'): number { return this.view.getFloat64(this.take(8, what), true); }
  bytes(n: number, what = 'bytes'): Uint8Array {
    const at = this.take(n, what);
    return this.data.subarray(at, at + n);
  }
  str(what = 'string'): string {
    const n = this.u16(what);
    return new TextDecoder().decode(this.bytes(n, what));
  }
  align(n: number): void { this.take((n - (this.at % n)) % n, 'padding'); }
}
