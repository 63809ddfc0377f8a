// The Cortex-M DSP layout of a 1×1 convolution or a fully connected layer (targets/c/kernels/tf_matmul_packed_s8.c),
// laid out at compile time so that the kernel's inner loop is loads and SMLADs only: per pair of output channels, the accumulator
// start values, the weights pre-widened to halfword pairs in the order the kernel's widened input rows are read,
// then each channel's requantization constants. A C-only layout: the WASM runtime and the blob keep
// `conv2d_1x1_s8`'s and `fully_connected_s8`'s int8 weights and parameter structs, which the generic C kernels
// also read.
import type { Graph } from '../../../formats/ir/graph.ts';
import type { BufferRef, PreparedOp } from '../../prepare/kernel-layout.ts';

/** Longest input row the kernel widens on its stack (4·n bytes). */
export const MATMUL_PACKED_MAX_DEPTH = 256;
/** Words per channel pair besides its weights: 4 accumulator starts before them, (multiplier, rounding, right)
 * of both channels after them. */
export const MATMUL_PACKED_EXTRA_WORDS = 10;

export interface PackedMatmul {
  /** int32 words: per channel pair, 4 start values, n words of weight halfword pairs, 6 requantization words. */
  words: Int32Array;
  rows: number;
  depth: number;
  channels: number;
  actMin: number;
  actMax: number;
}

function constInt32(ref: BufferRef): Int32Array | null {
  if (ref.kind !== 'const') return null;
  const copy = new Uint8Array(ref.data);
  return new Int32Array(copy.buffer, 0, copy.length >> 2);
}

function halves(lo: number, hi: number): number {
  return ((lo & 0xffff) | (hi << 16)) | 0;
}

/**
 * The packed layout of a prepared `conv2d_1x1_s8` or `fully_connected_s8`, or null when its parameters are outside what the packed
 * kernel computes exactly (then the generic kernel runs). The kernel accumulates 2·acc: the weights are
 * doubled (|2w| <= 256 fits a halfword) and so are the start values, which saves the doubling before SMMULR
 * (tf_requant_fast.h). That is exact when |acc| < 2^29 for every input, the right shift is 1..20 and the
 * output zero point within ±256, all checked here on the actual numbers.
 */
export function packMatmul(graph: Graph, p: PreparedOp): PackedMatmul | null {
  const s = p.scalars as Record<string, number>;
  const shape = p.layout.name === 'conv2d_1x1_s8' ? { rows: s.pixels, n: s.input_c, channels: s.output_c }
    : p.layout.name === 'fully_connected_s8' ? { rows: s.batches, n: s.input_depth, channels: s.output_depth } : null;
  if (!shape) return null;
  const { rows, n, channels } = shape;
  if (n % 8 !== 0 || n > MATMUL_PACKED_MAX_DEPTH || channels % 2 !== 0 || rows < 1) return null;
  // A single row is computed as two (the kernel's 2×2 block) after widening it, about 2.5 instructions per
  // input value: with few channels to spread that over, the generic kernel is cheaper.
  if (rows === 1 && channels < 8) return null;
  if (Math.abs(s.output_offset) > 256) return null;
  const ptr = p.pointers as Record<string, BufferRef>;
  const filterRef = ptr.filter;
  if (filterRef.kind !== 'tensor') return null;
  const filterData = graph.tensors[filterRef.tensor]?.data;
  const bias = constInt32(ptr.folded_bias), multipliers = constInt32(ptr.multipliers), shifts = constInt32(ptr.shifts);
  if (!filterData || !bias || !multipliers || !shifts || filterData.length !== n * channels) return null;
  const w = new Int8Array(filterData.buffer, filterData.byteOffset, filterData.length);

  const start = new Array<number>(channels), mult = new Array<number>(channels);
  const rounding = new Array<number>(channels), right = new Array<number>(channels);
  for (let c = 0; c < channels; c++) {
    // Inputs are raw int8 (the input offset is folded into the bias), weights int8.
    let bound = Math.abs(bias[c]);
    for (let k = 0; k < n; k++) bound += 128 * Math.abs(w[c * n + k]);
    if (bound === Math.abs(bias[c])) {
      // All-zero weights (pruned channels, often with extreme bias and shift): the output is one constant,
      // requantized here; multiplier 0 and right shift 0 make the kernel return `rounding` itself.
      [start[c], mult[c], rounding[c], right[c]] = [0, 0, constantOutput(bias[c], multipliers[c], shifts[c], s.output_offset), 0];
      continue;
    }
    const e = -shifts[c];
    if (e < 1 || e > 20 || bound >= 2 ** 29) return null;
    [start[c], mult[c], right[c]] = [2 * bias[c], multipliers[c], e];
    rounding[c] = (2 ** (e - 1) + s.output_offset * 2 ** e) | 0;
  }

  const pairWords = MATMUL_PACKED_EXTRA_WORDS + n;
  const words = new Int32Array((channels / 2) * pairWords);
  for (let c = 0, o = 0; c < channels; c += 2) {
    words.set([start[c], start[c + 1], start[c], start[c + 1]], o);
    o += 4;
    const a = c * n, b = (c + 1) * n;
    // Per 4 input values k..k+3, matching the widened rows (even bytes, then odd bytes): channel c's (k, k+2),
    // channel c+1's (k, k+2), channel c's (k+1, k+3), channel c+1's (k+1, k+3).
    for (let k = 0; k < n; k += 4, o += 4) {
      words[o] = halves(2 * w[a + k], 2 * w[a + k + 2]);
      words[o + 1] = halves(2 * w[b + k], 2 * w[b + k + 2]);
      words[o + 2] = halves(2 * w[a + k + 1], 2 * w[a + k + 3]);
      words[o + 3] = halves(2 * w[b + k + 1], 2 * w[b + k + 3]);
    }
    words.set([mult[c], rounding[c], right[c], mult[c + 1], rounding[c + 1], right[c + 1]], o);
    o += 6;
  }
  return { words, rows, depth: n, channels, actMin: s.act_min, actMax: s.act_max };
}

/** TFLite's MultiplyByQuantizedMultiplier(acc) + output zero point, before the activation clamp (exact, BigInt). */
function constantOutput(acc: number, multiplier: number, shift: number, outputOffset: number): number {
  const left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  const a = BigInt(Math.imul(acc, 2 ** left)), ab = a * BigInt(multiplier);
  // SaturatingRoundingDoublingHighMul: C's truncating division, the one overflow case saturated.
  const high = acc === -0x80000000 && multiplier === -0x80000000 ? 0x7fffffff : Number((ab + (ab >= 0n ? 1n << 30n : 1n - (1n << 30n))) / (1n << 31n));
  // RoundingDivideByPOT: halves away from zero.
  const mask = Number((1n << BigInt(right)) - 1n);
  const threshold = Math.floor(mask / 2) + (high < 0 ? 1 : 0);
  const remainder = Number(BigInt(high) & BigInt(mask));
  const scaled = Math.floor(high / 2 ** right) + (remainder > threshold ? 1 : 0);
  return (scaled + outputOffset) | 0;
}
