// Convolution weights, repacked at load for the SIMD matrix products (conv2d_1x1_packed_s8, conv2d_packed_s8):
// interleaved by 4-channel block — per 8 inputs, channel 0's eight values, then channels 1, 2, 3 — so one pointer
// walks a block (V8 computes every load's address apart: four pointers cost three more instructions per step).
// Still int8: a widened int16 copy measured no faster alone and slower in a whole model (twice the cache). The
// blob (and every firmware) keeps TFLite's layout; this copy is the host's, in RuntimeMemory.packedWeightBytes.
import type { KernelFunction } from './step-sequence.ts';
import type { BlobStep } from './read-blob.ts';

/**
 * The kernels with a packed twin: the twin's name, and the step's matrix shape — k inputs per output channel (the
 * filter is n rows of k int8 values), n channels — and whether its products see four rows or more at a time.
 */
const TWINS: Record<string, { twin: string; shape: (scalars: readonly number[]) => { k: number; n: number; rows: boolean } }> = {
  // pixels, input_c, output_c, …
  conv2d_1x1_s8: { twin: 'conv2d_1x1_packed_s8', shape: ([pixels, inC, outC]) => ({ k: inC!, n: outC!, rows: pixels! >= 4 }) },
  // batches, input_h, input_w, input_c, filter_h, filter_w, output_h, output_w, output_c, …, gather_rows (last)
  conv2d_s8: {
    twin: 'conv2d_packed_s8',
    shape: (sc) => ({ k: sc[3]! * sc[4]! * sc[5]!, n: sc[8]!, rows: sc[0]! * sc[6]! * sc[7]! >= 4 && sc[sc.length - 1]! >= 4 }),
  },
};

/** Packed bytes of an [n][k] int8 filter: whole 4-channel blocks, whole 8-input steps. */
function packedBytes(k: number, n: number): number {
  return Math.floor(n / 4) * (k & ~7) * 4;
}

export interface PackedWeightPlan {
  /** Step index → its packed weights' byte offset within the packed region, its matrix shape and its twin. */
  steps: Map<number, { at: number; k: number; n: number; twin: string }>;
  bytes: number;
}

export function planPackedWeights(steps: readonly BlobStep[]): PackedWeightPlan {
  const planned = new Map<number, { at: number; k: number; n: number; twin: string }>();
  // A filter two steps share is packed once.
  const byFilter = new Map<number, number>();
  let bytes = 0;
  steps.forEach((s, i) => {
    const t = TWINS[s.kernel];
    if (!t) return;
    const { k, n, rows } = t.shape(s.scalars);
    // Rows of 8 or 16 inputs take the channel-lane path, fewer than four rows the general form: neither reads packed weights.
    if (!rows || (k & ~7) < 24 || n < 4) return;
    const filter = s.pointers[1]!.offset;
    let at = byFilter.get(filter);
    if (at === undefined) {
      at = bytes;
      byFilter.set(filter, at);
      bytes += packedBytes(k, n);
    }
    planned.set(i, { at, k, n, twin: t.twin });
  });
  return { steps: planned, bytes };
}

/** Packs the plan's weights at `offset` (16-aligned) and returns the calls with those steps on their packed twins. */
export function applyPackedWeights(
  plan: PackedWeightPlan, offset: number, memory: WebAssembly.Memory, kernels: Record<string, KernelFunction>,
  calls: { fn: KernelFunction; args: number[] }[],
): { fn: KernelFunction; args: number[] }[] {
  if (plan.steps.size === 0) return calls;
  const bytes = new Int8Array(memory.buffer);
  const done = new Set<number>();
  return calls.map((c, i) => {
    const p = plan.steps.get(i);
    if (p === undefined) return c;
    const { at, k: inC, n: outC, twin } = p;
    const filter = c.args[1]!;
    const k8 = inC & ~7;
    const base = offset + at;
    if (!done.has(base)) {
      done.add(base);
      let o = base;
      for (let b = 0; b + 4 <= outC; b += 4) {
        for (let s = 0; s < k8; s += 8) {
          for (let j = 0; j < 4; j++) {
            const row = filter + (b + j) * inC + s;
            bytes.copyWithin(o, row, row + 8);
            o += 8;
          }
        }
      }
    }
    return { fn: kernels[twin]!, args: [...c.args, base] };
  });
}
