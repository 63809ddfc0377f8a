// The Cortex-M DSP layout of a 1×1 convolution (targets/c/kernels/tf_conv2d_1x1_packed_s8.c), laid out at compile
// time so that the kernel's inner loop is loads and SMLADs only: per pair of output channels, the accumulator
// start values, each channel's requantization constants, then the weights pre-widened to halfword pairs in the
// order the kernel's widened input rows are read. A C-only layout: the WASM runtime and the blob keep
// `conv2d_1x1_s8`'s int8 weights and parameter struct, which the generic C kernel also reads.
import type { Graph } from '../../../formats/ir/graph.ts';
import type { BufferRef, PreparedOp } from '../../prepare/kernel-layout.ts';

/** Longest input row the kernel widens on its stack (4·n bytes). */
export const PACKED_1X1_MAX_INPUT_C = 256;
/** Words per channel pair before its weights: 4 accumulator starts, then (multiplier, rounding, right) twice. */
export const PACKED_1X1_HEADER_WORDS = 10;

export interface PackedConv1x1 {
  /** int32 words: per channel pair, the header then n words of weight halfword pairs. */
  words: Int32Array;
  pixels: number;
  inputC: number;
  outputC: number;
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
 * The packed layout of a prepared `conv2d_1x1_s8`, or null when its parameters are outside what the packed
 * kernel computes exactly (then the generic kernel runs). The kernel accumulates 2·acc: the weights are
 * doubled (|2w| <= 256 fits a halfword) and so are the start values, which saves the doubling before SMMULR
 * (tf_requant_fast.h). That is exact when |acc| < 2^29 for every input, the right shift is 1..20 and the
 * output zero point within ±256, all checked here on the actual numbers.
 */
export function packConv1x1(graph: Graph, p: PreparedOp): PackedConv1x1 | null {
  if (p.layout.name !== 'conv2d_1x1_s8') return null;
  const s = p.scalars as Record<string, number>;
  const n = s.input_c, channels = s.output_c;
  if (n % 4 !== 0 || n > PACKED_1X1_MAX_INPUT_C || channels % 2 !== 0 || s.pixels < 1) return null;
  if (Math.abs(s.output_offset) > 256) return null;
  const ptr = p.pointers as Record<string, BufferRef>;
  const filterRef = ptr.filter;
  if (filterRef.kind !== 'tensor') return null;
  const filterData = graph.tensors[filterRef.tensor]?.data;
  const bias = constInt32(ptr.folded_bias), multipliers = constInt32(ptr.multipliers), shifts = constInt32(ptr.shifts);
  if (!filterData || !bias || !multipliers || !shifts || filterData.length !== n * channels) return null;
  const w = new Int8Array(filterData.buffer, filterData.byteOffset, filterData.length);

  const rounding = new Array<number>(channels), right = new Array<number>(channels);
  for (let c = 0; c < channels; c++) {
    const e = -shifts[c];
    if (e < 1 || e > 20) return null;
    // Inputs are raw int8 (the input offset is folded into the bias), weights int8.
    let bound = Math.abs(bias[c]);
    for (let k = 0; k < n; k++) bound += 128 * Math.abs(w[c * n + k]);
    if (bound >= 2 ** 29) return null;
    right[c] = e;
    rounding[c] = (2 ** (e - 1) + s.output_offset * 2 ** e) | 0;
  }

  const pairWords = PACKED_1X1_HEADER_WORDS + n;
  const words = new Int32Array((channels / 2) * pairWords);
  for (let c = 0, o = 0; c < channels; c += 2) {
    words.set([2 * bias[c], 2 * bias[c + 1], 2 * bias[c], 2 * bias[c + 1],
      multipliers[c], rounding[c], right[c], multipliers[c + 1], rounding[c + 1], right[c + 1]], o);
    o += PACKED_1X1_HEADER_WORDS;
    const a = c * n, b = (c + 1) * n;
    // Per 4 input values k..k+3, matching the widened rows (even bytes, then odd bytes): channel c's (k, k+2),
    // channel c+1's (k, k+2), channel c's (k+1, k+3), channel c+1's (k+1, k+3).
    for (let k = 0; k < n; k += 4, o += 4) {
      words[o] = halves(2 * w[a + k], 2 * w[a + k + 2]);
      words[o + 1] = halves(2 * w[b + k], 2 * w[b + k + 2]);
      words[o + 2] = halves(2 * w[a + k + 1], 2 * w[a + k + 3]);
      words[o + 3] = halves(2 * w[b + k + 1], 2 * w[b + k + 3]);
    }
  }
  return { words, pixels: s.pixels, inputC: n, outputC: channels, actMin: s.act_min, actMax: s.act_max };
}
