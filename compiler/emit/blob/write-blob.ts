// Serializes a compiled model into the runtime blob (see blob-format.ts).
import { crc32 } from '../../../lib/crc32.ts';
import type { CompiledModel } from '../../compile-model.ts';
import { orderedArgs, type BufferRef } from '../../prepare/kernel-layout.ts';
import { alignUp } from '../../plan/arena-plan.ts';
import { BLOB_HEADER_BYTES, BLOB_MAGIC, BLOB_VERSION, DTYPE_CODES, PointerKind } from '../../../formats/blob/blob-format.ts';
import { ByteWriter } from './byte-writer.ts';

/** Lays out the constant section: each constant tensor once, then prepare-made data, 16-aligned. */
class ConstantPool {
  private chunks: Uint8Array[] = [];
  private byTensor = new Map<number, number>();
  size = 0;

  add(data: Uint8Array): number {
    const at = alignUp(this.size);
    if (at > this.size) this.chunks.push(new Uint8Array(at - this.size));
    this.chunks.push(data);
    this.size = at + data.length;
    return at;
  }
  addTensor(id: number, data: Uint8Array): number {
    let at = this.byTensor.get(id);
    if (at === undefined) {
      at = this.add(data);
      this.byTensor.set(id, at);
    }
    return at;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(alignUp(this.size));
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

export function writeBlob(model: CompiledModel): Uint8Array {
  const { graph, prepared, plan } = model;
  const arenaOffset = new Map(plan.tensors.map((t) => [t.tensor, t.offset]));
  const pool = new ConstantPool();

  const resolve = (ref: BufferRef, step: number): [PointerKind, number] => {
    switch (ref.kind) {
      case 'none':
        return [PointerKind.None, 0];
      case 'scratch': {
        const s = plan.scratch.find((x) => x.step === step);
        if (!s) throw new Error(`writeBlob: step ${step} uses scratch but the plan has none for it`);
        return [PointerKind.Arena, s.offset];
      }
      case 'const':
        return [PointerKind.Const, pool.add(ref.data)];
      case 'tensor': {
        const t = graph.tensors[ref.tensor];
        if (t.data) return [PointerKind.Const, pool.addTensor(t.id, t.data)];
        const off = arenaOffset.get(t.id);
        if (off === undefined) throw new Error(`writeBlob: tensor ${t.id} (${t.name}) has no arena placement`);
        return [PointerKind.Arena, off];
      }
    }
  };

  const w = new ByteWriter();
  w.bytes(new TextEncoder().encode(BLOB_MAGIC)).u16(BLOB_VERSION).u16(BLOB_HEADER_BYTES);
  const totalAt = w.length;
  w.u32(0).u32(0); // total size, CRC: patched below
  const constAt = w.length;
  w.u32(0).u32(plan.arenaBytes).u32(graph.inputs.length + graph.outputs.length).u32(prepared.length);

  w.str(graph.name);
  const io = [...graph.inputs.map((t) => [0, t] as const), ...graph.outputs.map((t) => [1, t] as const)];
  for (const [direction, id] of io) {
    const t = graph.tensors[id];
    const off = arenaOffset.get(id);
    if (off === undefined) throw new Error(`writeBlob: I/O tensor ${id} (${t.name}) has no arena placement`);
    w.u8(direction).u8(DTYPE_CODES.indexOf(t.dtype)).u8(t.shape.length).u8(t.quant ? 1 : 0);
    w.i32(id).u32(off).u32(plan.tensors.find((p) => p.tensor === id)!.bytes);
    for (const d of t.shape) w.u32(d);
    w.f32(t.quant?.scale[0] ?? 0).i32(t.quant?.zeroPoint[0] ?? 0).str(t.name);
  }
  prepared.forEach((p, step) => {
    const op = graph.ops.find((o) => o.index === p.opIndex)!;
    const args = orderedArgs(p);
    const scratch = plan.scratch.find((s) => s.step === step);
    w.str(p.layout.name).str(op.type).u32(p.opIndex).u32(p.scratchBytes).u32(scratch?.offset ?? 0);
    w.f64(p.counters.macs).f64(p.counters.bytesRead).f64(p.counters.bytesWritten);
    w.u8(args.pointers.length).u16(args.scalars.length);
    for (const ref of args.pointers) {
      const [kind, offset] = resolve(ref, step);
      w.u8(kind).u32(offset);
    }
    for (const s of args.scalars) w.i32(s);
  });
  w.u32(plan.tensors.length);
  for (const t of plan.tensors) w.i32(t.tensor).u32(t.offset).u32(t.bytes).i32(t.firstStep).i32(t.lastStep);
  w.u32(plan.liveBytes.length);
  for (const b of plan.liveBytes) w.u32(b);

  w.align(16);
  const constants = pool.bytes();
  w.bytes(constants);
  w.patchU32(constAt, constants.length);
  const blob = w.finish();
  const view = new DataView(blob.buffer);
  view.setUint32(totalAt, blob.length, true);
  view.setUint32(totalAt + 4, crc32(blob.subarray(BLOB_HEADER_BYTES)), true);
  return blob;
}
