// Bounds-checked reading of a FlatBuffer: every table, vtable, field, offset, vector and string is
// range-checked before it is touched, so a corrupt file can only ever end in a ModelFormatError.
// A budget on decoded units stops aliased tables/vectors (many offsets pointing at one big vector)
// from expanding a small file into a huge allocation.
import { ModelFormatError } from './model-format-error.ts';

export interface Field {
  /** Position in the schema's table declaration (a union takes two: type, then value). */
  id: number;
  name: string;
}

/** Field descriptors from the schema's declaration order, deprecated fields included. */
export function fieldIds<const N extends readonly string[]>(names: N): { [K in N[number]]: Field } {
  const out = {} as Record<string, Field>;
  names.forEach((name, id) => { out[name] = { id, name }; });
  return out as { [K in N[number]]: Field };
}

const utf8 = new TextDecoder('utf-8');

export class FlatBufferView {
  readonly length: number;
  private readonly data: DataView;
  private unitsLeft: number;

  constructor(readonly bytes: Uint8Array, readonly model?: string) {
    this.length = bytes.length;
    this.data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // A sane file decodes each byte about once; 4x plus slack leaves room for small tables.
    this.unitsLeft = 4 * bytes.length + 65536;
  }

  fail(where: string, problem: string, byteOffset?: number): never {
    throw new ModelFormatError({
      model: this.model,
      where: byteOffset === undefined ? where : `${where} (byte ${byteOffset})`,
      problem,
      byteOffset,
    });
  }

  /** Accounts for `units` decoded elements; fails once the file decodes to far more than its size. */
  charge(units: number, where: string): void {
    this.unitsLeft -= units;
    if (this.unitsLeft < 0) {
      this.fail(where, `the file decodes to more than ${4 * this.length + 65536} elements for ${this.length} bytes: ` +
        'tables or vectors are aliased, the file is corrupt');
    }
  }

  check(pos: number, size: number, where: string): void {
    if (!Number.isSafeInteger(pos) || pos < 0 || pos + size > this.length) {
      this.fail(where, `reads ${size} byte(s) at offset ${pos}, outside the ${this.length}-byte file`, pos);
    }
  }

  u8(pos: number, where: string): number { this.check(pos, 1, where); return this.data.getUint8(pos); }
  i8(pos: number, where: string): number { this.check(pos, 1, where); return this.data.getInt8(pos); }
  u16(pos: number, where: string): number { this.check(pos, 2, where); return this.data.getUint16(pos, true); }
  i32(pos: number, where: string): number { this.check(pos, 4, where); return this.data.getInt32(pos, true); }
  u32(pos: number, where: string): number { this.check(pos, 4, where); return this.data.getUint32(pos, true); }
  f32(pos: number, where: string): number { this.check(pos, 4, where); return this.data.getFloat32(pos, true); }
  i64(pos: number, where: string): bigint { this.check(pos, 8, where); return this.data.getBigInt64(pos, true); }
  u64(pos: number, where: string): bigint { this.check(pos, 8, where); return this.data.getBigUint64(pos, true); }

  /** The root table: a uoffset at byte 0. */
  root(where: string): Table {
    return this.table(this.u32(0, where), where);
  }

  /** Validates the table at `pos` and its vtable. */
  table(pos: number, where: string): Table {
    this.charge(1, where);
    const soffset = this.i32(pos, `${where}: table`);
    const vtable = pos - soffset;
    if (vtable < 0 || vtable + 4 > this.length) {
      this.fail(where, `vtable of the table at ${pos} would be at ${vtable}, outside the ${this.length}-byte file`, pos);
    }
    const vtableSize = this.u16(vtable, `${where}: vtable`);
    const tableSize = this.u16(vtable + 2, `${where}: vtable`);
    if (vtableSize < 4 || vtableSize % 2 !== 0 || vtable + vtableSize > this.length) {
      this.fail(where, `vtable at ${vtable} declares ${vtableSize} bytes (must be even, >= 4 and inside the file)`, vtable);
    }
    if (tableSize < 4 || pos + tableSize > this.length) {
      this.fail(where, `table at ${pos} declares ${tableSize} bytes (must be >= 4 and inside the file)`, pos);
    }
    return new Table(this, pos, vtable, vtableSize, tableSize, where);
  }

  /** Follows the uoffset stored at `pos`. */
  deref(pos: number, where: string): number {
    return pos + this.u32(pos, where);
  }

  /** Start and length of the vector whose length prefix is at `pos`, checked against the file. */
  vector(pos: number, elementSize: number, where: string): { start: number; length: number } {
    const length = this.u32(pos, `${where}: vector length`);
    const start = pos + 4;
    if (start + length * elementSize > this.length) {
      this.fail(where, `vector of ${length} x ${elementSize}-byte elements at ${pos} runs past the end of the ${this.length}-byte file`, pos);
    }
    this.charge(length, where);
    return { start, length };
  }
}

export class Table {
  constructor(
    readonly fb: FlatBufferView,
    readonly pos: number,
    private readonly vtable: number,
    private readonly vtableSize: number,
    private readonly tableSize: number,
    readonly where: string,
  ) {}

  has(field: Field): boolean {
    return this.fieldPos(field, 0) !== undefined;
  }

  /** Absolute position of the field's inline value, or undefined when absent (default applies). */
  private fieldPos(field: Field, size: number): number | undefined {
    const slot = 4 + 2 * field.id;
    if (slot + 2 > this.vtableSize) return undefined;
    const offset = this.fb.u16(this.vtable + slot, this.at(field));
    if (offset === 0) return undefined;
    if (offset < 4 || offset + size > this.tableSize) {
      this.fb.fail(this.at(field), `field at table offset ${offset} (${size} bytes) lies outside the ${this.tableSize}-byte table`, this.pos);
    }
    return this.pos + offset;
  }

  private at(field: Field): string {
    return `${this.where} field '${field.name}'`;
  }

  bool(field: Field, dflt = false): boolean {
    const p = this.fieldPos(field, 1);
    return p === undefined ? dflt : this.fb.u8(p, this.at(field)) !== 0;
  }
  i8(field: Field, dflt = 0): number {
    const p = this.fieldPos(field, 1);
    return p === undefined ? dflt : this.fb.i8(p, this.at(field));
  }
  u8(field: Field, dflt = 0): number {
    const p = this.fieldPos(field, 1);
    return p === undefined ? dflt : this.fb.u8(p, this.at(field));
  }
  i32(field: Field, dflt = 0): number {
    const p = this.fieldPos(field, 4);
    return p === undefined ? dflt : this.fb.i32(p, this.at(field));
  }
  u32(field: Field, dflt = 0): number {
    const p = this.fieldPos(field, 4);
    return p === undefined ? dflt : this.fb.u32(p, this.at(field));
  }
  f32(field: Field, dflt = 0): number {
    const p = this.fieldPos(field, 4);
    return p === undefined ? dflt : this.fb.f32(p, this.at(field));
  }
  u64(field: Field, dflt = 0n): bigint {
    const p = this.fieldPos(field, 8);
    return p === undefined ? dflt : this.fb.u64(p, this.at(field));
  }

  /** Position the offset field points to, or undefined when absent. */
  private target(field: Field): number | undefined {
    const p = this.fieldPos(field, 4);
    return p === undefined ? undefined : this.fb.deref(p, this.at(field));
  }

  table(field: Field, where = this.at(field)): Table | undefined {
    const t = this.target(field);
    return t === undefined ? undefined : this.fb.table(t, where);
  }

  string(field: Field): string | undefined {
    const bytes = this.byteView(field);
    return bytes === undefined ? undefined : utf8.decode(bytes);
  }

  /** A view (no copy) of a [ubyte] vector; callers copy what they keep. */
  byteView(field: Field): Uint8Array | undefined {
    const t = this.target(field);
    if (t === undefined) return undefined;
    const { start, length } = this.fb.vector(t, 1, this.at(field));
    return this.fb.bytes.subarray(start, start + length);
  }

  i32Vector(field: Field): number[] | undefined {
    return this.numbers(field, 4, (p, w) => this.fb.i32(p, w));
  }
  u8Vector(field: Field): number[] | undefined {
    return this.numbers(field, 1, (p, w) => this.fb.u8(p, w));
  }
  f32Vector(field: Field): number[] | undefined {
    return this.numbers(field, 4, (p, w) => this.fb.f32(p, w));
  }
  /** int64 elements as numbers; values beyond ±2^53 are a format error (no TFLite field needs them). */
  i64Vector(field: Field): number[] | undefined {
    return this.numbers(field, 8, (p, w) => {
      const v = this.fb.i64(p, w);
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
        this.fb.fail(w, `int64 value ${v} is out of the representable range`, p);
      }
      return Number(v);
    });
  }

  private numbers(field: Field, size: number, read: (pos: number, where: string) => number): number[] | undefined {
    const t = this.target(field);
    if (t === undefined) return undefined;
    const where = this.at(field);
    const { start, length } = this.fb.vector(t, size, where);
    const out = new Array<number>(length);
    for (let i = 0; i < length; i++) out[i] = read(start + i * size, where);
    return out;
  }

  /** A vector of tables; `where(i)` names each element in errors. */
  tables(field: Field, where: (i: number) => string): Table[] | undefined {
    const t = this.target(field);
    if (t === undefined) return undefined;
    const { start, length } = this.fb.vector(t, 4, this.at(field));
    const out = new Array<Table>(length);
    for (let i = 0; i < length; i++) {
      const slot = start + 4 * i;
      out[i] = this.fb.table(this.fb.deref(slot, where(i)), where(i));
    }
    return out;
  }
}
