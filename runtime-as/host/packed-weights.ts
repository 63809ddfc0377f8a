// Weights of long 1×1 convolutions, repacked at load for the SIMD matrix product (conv2d_1x1_packed_s8):
// interleaved by 4-channel block — per 8 inputs, channel 0's eight values, then channels 1, 2, 3 — so one pointer
// walks a block (V8 computes every load's address apart: four pointers cost three more instructions per step).
// Still int8: a widened int16 copy measured no faster alone and slower in a whole model (twice the cache). The
// blob (and every firmware) keeps TFLite's layout; this copy is the host's, in RuntimeMemory.packedWeightBytes.
import type { KernelFunction } from './step-sequence.ts';
import type { BlobStep } from './read-blob.ts';

/** Which conv2d_1x1_s8 steps get packed weights: enough rows and inputs for the packed loop to run. */
function packs(s: BlobStep): boolean {
  if (s.kernel !== 'conv2d_1x1_s8') return false;
  const [pixels, inC, outC] = s.scalars as [number, number, number];
  // Rows of 8 or 16 inputs take the channel-lane path, fewer than four rows the general form: neither reads it.
  return pixels >= 4 && (inC & ~7) >= 24 && outC >= 4;
}

/** Packed bytes of a [outC][inC] int8 filter: whole 4-channel blocks, whole 8-input steps. */
function packedBytes(inC: number, outC: number): number {
  return Math.floor(outC / 4) * (inC & ~7) * 4;
}

export interface PackedWeightPlan {
  /** Step index → byte offset of its packed weights within the packed region. */
  offsetOf: Map<number, number>;
  bytes: number;
}

export function planPackedWeights(steps: readonly BlobStep[]): PackedWeightPlan {
  const offsetOf = new Map<number, number>();
  const byFilter = new Map<number, number>();
  let bytes = 0;
  steps.forEach((s, i) => {
    if (!packs(s)) return;
    const filter = s.pointers[1]!.offset;
    let at = byFilter.get(filter);
    if (at === undefined) {
      at = bytes;
      byFilter.set(filter, at);
      bytes += packedBytes(s.scalars[1]!, s.scalars[2]!);
    }
    offsetOf.set(i, at);
  });
  return { offsetOf, bytes };
}

/** Packs the plan's weights at `offset` (16-aligned) and returns the calls with those steps on the packed kernel. */
export function applyPackedWeights(
  plan: PackedWeightPlan, offset: number, memory: WebAssembly.Memory, packedKernel: KernelFunction,
  calls: { fn: KernelFunction; args: number[] }[],
): { fn: KernelFunction; args: number[] }[] {
  if (plan.offsetOf.size === 0) return calls;
  const bytes = new Int8Array(memory.buffer);
  const done = new Set<number>();
  return calls.map((c, i) => {
    const at = plan.offsetOf.get(i);
    if (at === undefined) return c;
    const filter = c.args[1]!;
    const [inC, outC] = [c.args[8]!, c.args[9]!];
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
    return { fn: packedKernel, args: [...c.args, base] };
  });
}
