// Runs prepared kernel calls in the WASM kernel module (scalar or SIMD build) on given tensor bytes:
// every referenced tensor, constant and scratch buffer gets its own 16-aligned place; an output can be
// placed over an input to check in-place operation. Unwritten output bytes would show as 0xA5.
import type { Graph } from '../../formats/ir/graph.ts';
import { tensorBytes } from '../../formats/ir/graph.ts';
import { orderedArgs, type PreparedOp } from '../../compiler/prepare/kernel-layout.ts';
import { instantiateKernels, WASM_PAGE_BYTES, type KernelVariant } from '../../runtime-as/host/kernel-module.ts';

export interface RunOptions {
  /** Output tensor id → input tensor id whose bytes it shares. */
  inPlace?: Map<number, number>;
}

const align = (n: number) => (n + 15) & ~15;

export function runPrepared(
  variant: KernelVariant,
  graph: Graph,
  calls: PreparedOp[],
  inputs: Map<number, Uint8Array>,
  options: RunOptions = {},
): Map<number, Uint8Array> {
  const probe = instantiateKernels(variant, 1);
  let offset = probe.heapBase;
  const places = new Map<number, number>();
  const consts: { at: number; data: Uint8Array }[] = [];
  const place = (tensor: number) => {
    if (places.has(tensor)) return;
    const shared = options.inPlace?.get(tensor);
    if (shared !== undefined) {
      place(shared);
      places.set(tensor, places.get(shared)!);
      return;
    }
    places.set(tensor, offset);
    offset = align(offset + Math.max(1, tensorBytes(graph.tensors[tensor])));
  };
  // Inputs first so that in-place outputs find them placed.
  for (const id of inputs.keys()) place(id);
  for (const call of calls) {
    for (const ref of orderedArgs(call).pointers) {
      if (ref.kind === 'tensor') place(ref.tensor);
      if (ref.kind === 'const') {
        consts.push({ at: offset, data: ref.data });
        offset = align(offset + ref.data.length);
      }
    }
  }
  const scratchAt = offset;
  offset = align(offset + Math.max(0, ...calls.map((c) => c.scratchBytes)));
  const pages = Math.ceil((offset + 16) / WASM_PAGE_BYTES);
  const k = instantiateKernels(variant, pages);
  const mem = new Uint8Array(k.memory.buffer);
  for (const [id, at] of places) {
    if (!inputs.has(id)) mem.fill(0xa5, at, at + tensorBytes(graph.tensors[id]));
  }
  for (const [id, at] of places) {
    const t = graph.tensors[id];
    if (t.data) mem.set(t.data, at);
  }
  for (const [id, bytes] of inputs) mem.set(bytes, places.get(id)!);
  for (const c of consts) mem.set(c.data, c.at);
  let constIndex = 0;
  for (const call of calls) {
    const { pointers, scalars } = orderedArgs(call);
    const ptrs = pointers.map((ref) => {
      switch (ref.kind) {
        case 'tensor': return places.get(ref.tensor)!;
        case 'const': return consts[constIndex++].at;
        case 'scratch': return scratchAt;
        case 'none': return 0;
      }
    });
    const fn = k.exports[call.layout.name];
    if (!fn) throw new Error(`kernel ${call.layout.name} is not exported by the ${variant} build`);
    fn(...ptrs, ...scalars);
  }
  const out = new Map<number, Uint8Array>();
  for (const [id, at] of places) out.set(id, mem.slice(at, at + tensorBytes(graph.tensors[id])));
  return out;
}
