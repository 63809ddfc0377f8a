// Typed views of constant tensor contents (IR data is little-endian bytes) and back.
import type { Tensor } from '../../formats/ir/graph.ts';

function aligned(data: Uint8Array, bytesPerElement: number): ArrayBuffer {
  // Typed arrays need an aligned offset; IR data may be a slice of a flatbuffer at any offset.
  if (data.byteOffset % bytesPerElement === 0) return data.buffer as ArrayBuffer;
  return data.slice().buffer as ArrayBuffer;
}

export function float32Values(t: Tensor): Float32Array {
  if (!t.data) throw new Error(`tensor ${t.id} '${t.name}' has no constant data`);
  if (t.dtype !== 'float32') throw new Error(`tensor ${t.id} '${t.name}' is ${t.dtype}, expected float32`);
  const d = t.data;
  const buf = aligned(d, 4);
  return new Float32Array(buf, buf === d.buffer ? d.byteOffset : 0, d.byteLength / 4);
}

export function int32Values(t: Tensor): Int32Array {
  if (!t.data) throw new Error(`tensor ${t.id} '${t.name}' has no constant data`);
  const d = t.data;
  if (t.dtype === 'int64') {
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
    return Int32Array.from({ length: d.byteLength / 8 }, (_, i) => Number(v.getBigInt64(i * 8, true)));
  }
  if (t.dtype !== 'int32') throw new Error(`tensor ${t.id} '${t.name}' is ${t.dtype}, expected int32`);
  const buf = aligned(d, 4);
  return new Int32Array(buf, buf === d.buffer ? d.byteOffset : 0, d.byteLength / 4);
}

export function bytesOf(values: Float32Array | Int32Array | Int8Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}
