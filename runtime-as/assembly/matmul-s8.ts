// The SIMD matrix-product core shared by conv 1×1, conv (after gathering receptive fields) and fully
// connected: rows of K raw int8 inputs times N weight rows of K int8, plus the folded bias
// (bias + input_offset·Σw, so no per-element offset add), requantized per channel to int8.
// Blocks of 2 rows × 4 channels keep eight i32x4 accumulators in registers; each weight load serves two rows.
import { multiplyByQuantizedMultiplier } from './fixedpoint';
import { blockFactor, boundBits, boundedApplies, boundedRight, maxAbsInt32, requantizeX4Block } from './requantize-bounded-simd';
import { clampStoreX4, clampStoreX4Pair, requantizeX4Int } from './requantize-simd';

// @ts-ignore: decorator
@inline
function dotTail(a: usize, w: usize, from: i32, to: i32): i32 {
  let s: i32 = 0;
  for (let k = from; k < to; k++) s += <i32>load<i8>(a + <usize>k) * <i32>load<i8>(w + <usize>k);
  return s;
}

/** [Σc0, Σc1, Σc2, Σc3]: the four accumulators' horizontal sums in one vector. */
// @ts-ignore: decorator
@inline
function sum4(c0: v128, c1: v128, c2: v128, c3: v128): v128 {
  const a = i32x4.add(i32x4.shuffle(c0, c1, 0, 4, 1, 5), i32x4.shuffle(c0, c1, 2, 6, 3, 7));
  const b = i32x4.add(i32x4.shuffle(c2, c3, 0, 4, 1, 5), i32x4.shuffle(c2, c3, 2, 6, 3, 7));
  return i32x4.add(i32x4.shuffle(a, b, 0, 1, 4, 5), i32x4.shuffle(a, b, 2, 3, 6, 7));
}

// @ts-ignore: decorator
@inline
function tails4(a: usize, w: usize, k: i32, from: i32, to: i32): v128 {
  let v = i32x4.splat(dotTail(a, w, from, to));
  v = i32x4.replace_lane(v, 1, dotTail(a, w + <usize>k, from, to));
  v = i32x4.replace_lane(v, 2, dotTail(a, w + <usize>(2 * k), from, to));
  return i32x4.replace_lane(v, 3, dotTail(a, w + <usize>(3 * k), from, to));
}

/**
 * The last k mod 8 products of four channels as one dot product: the final 8 bytes are loaded (overlapping
 * the step before) and the input lanes already counted are zeroed by `tailMask`. Needs k >= 8.
 */
// @ts-ignore: decorator
@inline
function maskedTail4(x: v128, w0: usize, k: usize, at: usize): v128 {
  const s0 = i32x4.dot_i16x8_s(x, v128.load8x8_s(w0 + at));
  const s1 = i32x4.dot_i16x8_s(x, v128.load8x8_s(w0 + k + at));
  const s2 = i32x4.dot_i16x8_s(x, v128.load8x8_s(w0 + 2 * k + at));
  const s3 = i32x4.dot_i16x8_s(x, v128.load8x8_s(w0 + 3 * k + at));
  return sum4(s0, s1, s2, s3);
}

/** One output channel for one row, scalar requantization (channel tails). */
// @ts-ignore: decorator
@inline
function channelS8(a: usize, w: usize, k: i32, k8: i32, bias: i32, multiplier: i32, shift: i32, outOffset: i32, actMin: i32, actMax: i32): i8 {
  let s = i32x4.splat(0);
  for (let i = 0; i < k8; i += 8) {
    s = i32x4.add(s, i32x4.dot_i16x8_s(v128.load8x8_s(a + <usize>i), v128.load8x8_s(w + <usize>i)));
  }
  let acc = bias + i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 1) + i32x4.extract_lane(s, 2) + i32x4.extract_lane(s, 3);
  acc += dotTail(a, w, k8, k);
  acc = multiplyByQuantizedMultiplier(acc, multiplier, shift) + outOffset;
  return <i8>min(max(acc, actMin), actMax);
}

/**
 * Four weight rows' first eight values (sign-extended to i16) turned so that vector j holds, for each of the four
 * channels, the pair of values j (inputs 2j, 2j + 1): a 4×4 transpose of 32-bit lanes.
 */
// @ts-ignore: decorator
@inline
function pairColumn(r0: v128, r1: v128, r2: v128, r3: v128, j: i32): v128 {
  const lo01 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), lo23 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const hi01 = i32x4.shuffle(r0, r1, 2, 6, 3, 7), hi23 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  if (j == 0) return i32x4.shuffle(lo01, lo23, 0, 1, 4, 5);
  if (j == 1) return i32x4.shuffle(lo01, lo23, 2, 3, 6, 7);
  if (j == 2) return i32x4.shuffle(hi01, hi23, 0, 1, 4, 5);
  return i32x4.shuffle(hi01, hi23, 2, 3, 6, 7);
}

/** Σ over eight inputs of x·w for four channels: input pair j broadcast, one dot product per pair. */
// @ts-ignore: decorator
@inline
function dot8Lanes(x: v128, c0: v128, c1: v128, c2: v128, c3: v128): v128 {
  return i32x4.add(
    i32x4.add(i32x4.dot_i16x8_s(i32x4.shuffle(x, x, 0, 0, 0, 0), c0), i32x4.dot_i16x8_s(i32x4.shuffle(x, x, 1, 1, 1, 1), c1)),
    i32x4.add(i32x4.dot_i16x8_s(i32x4.shuffle(x, x, 2, 2, 2, 2), c2), i32x4.dot_i16x8_s(i32x4.shuffle(x, x, 3, 3, 3, 3), c3)));
}

/**
 * k = 8 or 16 (the first pointwise layers of a MobileNet): with so few products per output, the horizontal sums
 * of the general path cost as much as the products. Here the four channels are the lanes: the block's weights
 * are transposed once into input pairs × channels, each input pair is broadcast and one dot product per pair
 * accumulates straight into the channel lanes. Same block order as the general path (channels outer, rows in
 * order), so the row-streaming promise holds alike.
 */
// @ts-ignore: decorator
@inline
function smallKBlock(
  a: usize, rows: i32, w0: usize, k: i32, b: v128, m: v128, q0: v128, q1: v128, q2: v128, q3: v128, bounded: bool, right: i32,
  out: usize, outStride: usize, vOffset: v128, vMin: v128, vMax: v128, vMin16: v128, vMax16: v128, inStep: usize,
): void {
  const rs = <usize>k;
  const r0 = v128.load8x8_s(w0), r1 = v128.load8x8_s(w0 + rs), r2 = v128.load8x8_s(w0 + 2 * rs), r3 = v128.load8x8_s(w0 + 3 * rs);
  const c0 = pairColumn(r0, r1, r2, r3, 0), c1 = pairColumn(r0, r1, r2, r3, 1);
  const c2 = pairColumn(r0, r1, r2, r3, 2), c3 = pairColumn(r0, r1, r2, r3, 3);
  let d0 = c0, d1 = c0, d2 = c0, d3 = c0;
  if (k == 16) {
    const u0 = v128.load8x8_s(w0 + 8), u1 = v128.load8x8_s(w0 + rs + 8), u2 = v128.load8x8_s(w0 + 2 * rs + 8), u3 = v128.load8x8_s(w0 + 3 * rs + 8);
    d0 = pairColumn(u0, u1, u2, u3, 0); d1 = pairColumn(u0, u1, u2, u3, 1);
    d2 = pairColumn(u0, u1, u2, u3, 2); d3 = pairColumn(u0, u1, u2, u3, 3);
  }
  let r = 0;
  for (; r + 2 <= rows; r += 2) {
    const a0 = a + <usize>r * inStep;
    let s0 = i32x4.add(b, dot8Lanes(v128.load8x8_s(a0), c0, c1, c2, c3));
    let s1 = i32x4.add(b, dot8Lanes(v128.load8x8_s(a0 + inStep), c0, c1, c2, c3));
    if (k == 16) {
      s0 = i32x4.add(s0, dot8Lanes(v128.load8x8_s(a0 + 8), d0, d1, d2, d3));
      s1 = i32x4.add(s1, dot8Lanes(v128.load8x8_s(a0 + inStep + 8), d0, d1, d2, d3));
    }
    const o0 = out + <usize>r * outStride;
    clampStoreX4Pair(o0, o0 + outStride, requantizeX4Block(s0, m, q0, q1, q2, q3, bounded, right),
      requantizeX4Block(s1, m, q0, q1, q2, q3, bounded, right), vOffset, vMin16, vMax16);
  }
  if (r < rows) {
    const a0 = a + <usize>r * inStep;
    let s0 = i32x4.add(b, dot8Lanes(v128.load8x8_s(a0), c0, c1, c2, c3));
    if (k == 16) s0 = i32x4.add(s0, dot8Lanes(v128.load8x8_s(a0 + 8), d0, d1, d2, d3));
    clampStoreX4(out + <usize>r * outStride, requantizeX4Block(s0, m, q0, q1, q2, q3, bounded, right), vOffset, vMin, vMax);
  }
}

/**
 * `rows` rows (a + r·k → out + r·n) × all n channels, channel blocks outermost: the four weight rows
 * and their requantization factors stay in registers and cache while every pair of rows passes.
 * Rows come straight from the input (conv 1×1, fully connected) or from gathered receptive fields (conv).
 */
export function matmulS8(
  a: usize, rows: i32, w: usize, k: i32, n: i32, foldedBias: usize, multipliers: usize, shifts: usize,
  out: usize, outOffset: i32, actMin: i32, actMax: i32,
): void {
  // Two specializations of one body: few rows (fully connected at batch 1, tiny layers) keep the general
  // requantization and none of the bounded form's setup; four rows and more may take the bounded form.
  if (rows >= 4) matmulRowsS8(a, rows, w, k, n, foldedBias, multipliers, shifts, out, outOffset, actMin, actMax);
  else matmulFewRowsS8(a, rows, w, k, n, foldedBias, multipliers, shifts, out, outOffset, actMin, actMax);
}

/**
 * matmulS8 (four rows or more) reading the weights of every whole 4-channel block from `packed`: the host's
 * copy, interleaved so that one pointer walks a block — for each 8 inputs, channel 0's eight values, then
 * channels 1, 2, 3 (32 bytes); block c/4 starts at c·(k & ~7) (packed-weights.ts). One address step per
 * 8 inputs instead of four (V8 computes each load's address apart). Tails use `w`.
 */
export function matmulPackedS8(
  a: usize, rows: i32, w: usize, packed: usize, k: i32, n: i32, foldedBias: usize, multipliers: usize, shifts: usize,
  out: usize, outOffset: i32, actMin: i32, actMax: i32,
): void {
  matmulBodyS8(a, rows, w, k, n, foldedBias, multipliers, shifts, out, outOffset, actMin, actMax, true, packed, <usize>k, 0);
}

/**
 * |acc| < 2^bits for every accumulator of a k-long product (int8 × int8: |product| <= 2^14) plus the folded bias:
 * what decides the bounded requantization. A caller that runs many products of one layer makes it once.
 */
export function matmulAccBits(k: i32, foldedBias: usize, n: i32): i32 {
  return boundBits(<u64>k * 16384 + <u64>maxAbsInt32(foldedBias, n));
}

/** Bytes of one 4-channel block's requantization factors in a factor table: q0..q3, then bounded, right. */
const FACTOR_BLOCK_BYTES: usize = 80;
/** Channel blocks the module's own factor table holds (256 output channels). */
const FACTOR_TABLE_BLOCKS: i32 = 64;
/** The SIMD build's factor table, static (below the heap base): one layer's at a time. 0 in the scalar build. */
export const matmulFactorTable: usize = ASC_FEATURE_SIMD ? memory.data(<i32>FACTOR_BLOCK_BYTES * FACTOR_TABLE_BLOCKS, 16) : 0;

/** Whether a layer of n output channels fits the factor table. */
// @ts-ignore: decorator
@inline
export function matmulFactorsFit(n: i32): bool {
  return n >> 2 <= FACTOR_TABLE_BLOCKS;
}

/**
 * Fills `table` with each whole 4-channel block's requantization factors for k-long products — the ones
 * matmulS8 would make per call (bounded form where matmulAccBits and the block allow it) — so that a layer
 * that runs many products (a convolution, one per output row or per gather) makes them once.
 */
export function fillMatmulFactors(table: usize, k: i32, n: i32, foldedBias: usize, multipliers: usize, shifts: usize): void {
  const accBits = matmulAccBits(k, foldedBias, n);
  for (let c = 0; c + 4 <= n; c += 4) {
    const m = v128.load(multipliers + (<usize>c << 2));
    const sh = v128.load(shifts + (<usize>c << 2));
    let e = 0, fits = false;
    if (accBits <= 30) {
      e = boundedRight(sh);
      fits = boundedApplies(accBits, m, sh, e);
    }
    const t = table + <usize>(c >> 2) * FACTOR_BLOCK_BYTES;
    v128.store(t, blockFactor(0, sh, fits, e)); v128.store(t, blockFactor(1, sh, fits, e), 16);
    v128.store(t, blockFactor(2, sh, fits, e), 32); v128.store(t, blockFactor(3, sh, fits, e), 48);
    store<i32>(t, fits ? 1 : 0, 64); store<i32>(t, e, 68);
  }
}

/**
 * matmulS8 with the layer's factors from `table` (fillMatmulFactors), over rows `inStep` bytes apart (k for
 * gathered rows; strideW·inC for a strided 1×1 convolution's pixels of one output row, read in place) and over
 * packed weights where `packed` is not 0 (as matmulPackedS8). Any row count.
 */
export function matmulTableS8(
  a: usize, rows: i32, inStep: usize, w: usize, packed: usize, k: i32, n: i32, foldedBias: usize, multipliers: usize, shifts: usize,
  out: usize, outOffset: i32, actMin: i32, actMax: i32, table: usize,
): void {
  matmulBodyS8(a, rows, w, k, n, foldedBias, multipliers, shifts, out, outOffset, actMin, actMax, true, packed, inStep, table);
}

function matmulRowsS8(
  a: usize, rows: i32, w: usize, k: i32, n: i32, foldedBias: usize, multipliers: usize, shifts: usize,
  out: usize, outOffset: i32, actMin: i32, actMax: i32,
): void {
  matmulBodyS8(a, rows, w, k, n, foldedBias, multipliers, shifts, out, outOffset, actMin, actMax, true, 0, <usize>k, 0);
}

function matmulFewRowsS8(
  a: usize, rows: i32, w: usize, k: i32, n: i32, foldedBias: usize, multipliers: usize, shifts: usize,
  out: usize, outOffset: i32, actMin: i32, actMax: i32,
): void {
  matmulBodyS8(a, rows, w, k, n, foldedBias, multipliers, shifts, out, outOffset, actMin, actMax, false, 0, <usize>k, 0);
}

// @ts-ignore: decorator
@inline
function matmulBodyS8(
  a: usize, rows: i32, w: usize, k: i32, n: i32, foldedBias: usize, multipliers: usize, shifts: usize,
  out: usize, outOffset: i32, actMin: i32, actMax: i32, mayBound: bool, packed: usize, inStep: usize, table: usize,
): void {
  const k8 = k & ~7;
  // Lanes 8 - (k - k8) .. 7 of the overlapping last load are the products not yet counted.
  const tailMask = i16x8.gt_s(i16x8(0, 1, 2, 3, 4, 5, 6, 7), i16x8.splat(<i16>(7 - (k - k8))));
  const maskedTail = k8 < k && k >= 8;
  const tailAt = <usize>(k - 8);
  const vOffset = i32x4.splat(outOffset);
  const vMin = i32x4.splat(actMin);
  const vMax = i32x4.splat(actMax);
  const vMin16 = i16x8.splat(<i16>actMin);
  const vMax16 = i16x8.splat(<i16>actMax);
  const rowStride = <usize>k;
  const outStride = <usize>n;
  // The factors of the last block's shifts: made again only when the shifts change (a per-tensor scale, or
  // per-channel scales within one power of two, keep them for the whole call; making them costs as much as
  // a short row's products).
  let factorsOf = i32x4.splat(i32.MIN_VALUE);
  let q0 = i32x4.splat(0), q1 = q0, q2 = q0, q3 = q0;
  // |acc| < k·2^14 + max|folded bias| (int8 × int8 products): where that bound allows, the bounded form —
  // from four rows on (its setup costs more than it saves on fewer, as in a fully connected layer at batch 1).
  const accBits = !mayBound || table != 0 ? 32 : matmulAccBits(k, foldedBias, n);
  let bounded = false, right = 0;
  let c = 0;
  if (!mayBound && rows == 1 && k >= 24 && (maskedTail || k8 == k)) {
    // One row (fully connected at batch 1): blocks of eight channels, so that each input load serves eight
    // weight rows; the two halves keep their own factors (made again only when their shifts change).
    // (One row: the general form — the bounded form's setup costs more than it saves here.)
    let factorsOf1 = factorsOf;
    let p0 = q0, p1 = q0, p2 = q0, p3 = q0;
    for (; c + 8 <= n; c += 8) {
      const w0 = w + <usize>c * rowStride;
      const w4 = w0 + 4 * rowStride;
      const sh = v128.load(shifts + (<usize>c << 2));
      const sh1 = v128.load(shifts + (<usize>(c + 4) << 2));
      if (!i32x4.all_true(i32x4.eq(sh, factorsOf))) {
        factorsOf = sh;
        q0 = blockFactor(0, sh, false, 0); q1 = blockFactor(1, sh, false, 0); q2 = blockFactor(2, sh, false, 0); q3 = blockFactor(3, sh, false, 0);
      }
      if (!i32x4.all_true(i32x4.eq(sh1, factorsOf1))) {
        factorsOf1 = sh1;
        p0 = blockFactor(0, sh1, false, 0); p1 = blockFactor(1, sh1, false, 0); p2 = blockFactor(2, sh1, false, 0); p3 = blockFactor(3, sh1, false, 0);
      }
      let s0 = i32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
      for (let i = 0; i < k8; i += 8) {
        const x0 = v128.load8x8_s(a + <usize>i);
        s0 = i32x4.add(s0, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w0 + <usize>i)));
        s1 = i32x4.add(s1, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w0 + rowStride + <usize>i)));
        s2 = i32x4.add(s2, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w0 + 2 * rowStride + <usize>i)));
        s3 = i32x4.add(s3, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w0 + 3 * rowStride + <usize>i)));
        s4 = i32x4.add(s4, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w4 + <usize>i)));
        s5 = i32x4.add(s5, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w4 + rowStride + <usize>i)));
        s6 = i32x4.add(s6, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w4 + 2 * rowStride + <usize>i)));
        s7 = i32x4.add(s7, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w4 + 3 * rowStride + <usize>i)));
      }
      let r0 = i32x4.add(sum4(s0, s1, s2, s3), v128.load(foldedBias + (<usize>c << 2)));
      let r1 = i32x4.add(sum4(s4, s5, s6, s7), v128.load(foldedBias + (<usize>(c + 4) << 2)));
      if (maskedTail) {
        const xt = v128.and(v128.load8x8_s(a + tailAt), tailMask);
        r0 = i32x4.add(r0, maskedTail4(xt, w0, rowStride, tailAt));
        r1 = i32x4.add(r1, maskedTail4(xt, w4, rowStride, tailAt));
      }
      clampStoreX4Pair(out + <usize>c, out + <usize>c + 4,
        requantizeX4Int(r0, v128.load(multipliers + (<usize>c << 2)), q0, q1, q2, q3),
        requantizeX4Int(r1, v128.load(multipliers + (<usize>(c + 4) << 2)), p0, p1, p2, p3), vOffset, vMin16, vMax16);
    }
  }
  for (; c + 4 <= n; c += 4) {
    const w0 = w + <usize>c * rowStride;
    const w1 = w0 + rowStride;
    const w2 = w1 + rowStride;
    const w3 = w2 + rowStride;
    const blockWeights = packed + <usize>c * <usize>k8;
    const b = v128.load(foldedBias + (<usize>c << 2));
    const m = v128.load(multipliers + (<usize>c << 2));
    const sh = v128.load(shifts + (<usize>c << 2));
    if (table != 0) {
      // The layer's factors, made once (fillMatmulFactors).
      const t = table + <usize>(c >> 2) * FACTOR_BLOCK_BYTES;
      q0 = v128.load(t); q1 = v128.load(t, 16); q2 = v128.load(t, 32); q3 = v128.load(t, 48);
      bounded = load<i32>(t, 64) != 0; right = load<i32>(t, 68);
    } else {
      let e = 0, fits = false;
      if (mayBound && accBits <= 30) {
        e = boundedRight(sh);
        fits = boundedApplies(accBits, m, sh, e);
      }
      if (fits != bounded || !i32x4.all_true(i32x4.eq(sh, factorsOf))) {
        factorsOf = sh; bounded = fits; right = e;
        q0 = blockFactor(0, sh, fits, e); q1 = blockFactor(1, sh, fits, e); q2 = blockFactor(2, sh, fits, e); q3 = blockFactor(3, sh, fits, e);
      }
    }
    // (Fewer than four rows do not repay the block's transpose.)
    if ((k == 8 || k == 16) && rows >= 4) {
      smallKBlock(a, rows, w0, k, b, m, q0, q1, q2, q3, bounded, right, out + <usize>c, outStride, vOffset, vMin, vMax, vMin16, vMax16, inStep);
      continue;
    }
    let r = 0;
    for (; r + 2 <= rows; r += 2) {
      const a0 = a + <usize>r * inStep;
      const a1 = a0 + inStep;
      let s00 = i32x4.splat(0), s01 = s00, s02 = s00, s03 = s00;
      let s10 = s00, s11 = s00, s12 = s00, s13 = s00;
      if (packed != 0) {
        // The block's packed weights: 32 bytes per 8 inputs, channel j at +8·j, one pointer for all four.
        let wp = blockWeights;
        let x0p = a0, x1p = a1;
        const end = a0 + <usize>k8;
        for (; x0p < end; x0p += 8, x1p += 8, wp += 32) {
          const x0 = v128.load8x8_s(x0p);
          const x1 = v128.load8x8_s(x1p);
          let f = v128.load8x8_s(wp);
          s00 = i32x4.add(s00, i32x4.dot_i16x8_s(x0, f));
          s10 = i32x4.add(s10, i32x4.dot_i16x8_s(x1, f));
          f = v128.load8x8_s(wp, 8);
          s01 = i32x4.add(s01, i32x4.dot_i16x8_s(x0, f));
          s11 = i32x4.add(s11, i32x4.dot_i16x8_s(x1, f));
          f = v128.load8x8_s(wp, 16);
          s02 = i32x4.add(s02, i32x4.dot_i16x8_s(x0, f));
          s12 = i32x4.add(s12, i32x4.dot_i16x8_s(x1, f));
          f = v128.load8x8_s(wp, 24);
          s03 = i32x4.add(s03, i32x4.dot_i16x8_s(x0, f));
          s13 = i32x4.add(s13, i32x4.dot_i16x8_s(x1, f));
        }
      } else {
        // One 8-wide step per iteration: unrolling further makes V8 spill accumulators.
        for (let i = 0; i < k8; i += 8) {
          const x0 = v128.load8x8_s(a0 + <usize>i);
          const x1 = v128.load8x8_s(a1 + <usize>i);
          let f = v128.load8x8_s(w0 + <usize>i);
          s00 = i32x4.add(s00, i32x4.dot_i16x8_s(x0, f));
          s10 = i32x4.add(s10, i32x4.dot_i16x8_s(x1, f));
          f = v128.load8x8_s(w1 + <usize>i);
          s01 = i32x4.add(s01, i32x4.dot_i16x8_s(x0, f));
          s11 = i32x4.add(s11, i32x4.dot_i16x8_s(x1, f));
          f = v128.load8x8_s(w2 + <usize>i);
          s02 = i32x4.add(s02, i32x4.dot_i16x8_s(x0, f));
          s12 = i32x4.add(s12, i32x4.dot_i16x8_s(x1, f));
          f = v128.load8x8_s(w3 + <usize>i);
          s03 = i32x4.add(s03, i32x4.dot_i16x8_s(x0, f));
          s13 = i32x4.add(s13, i32x4.dot_i16x8_s(x1, f));
        }
      }
      let r0 = i32x4.add(sum4(s00, s01, s02, s03), b);
      let r1 = i32x4.add(sum4(s10, s11, s12, s13), b);
      if (maskedTail) {
        r0 = i32x4.add(r0, maskedTail4(v128.and(v128.load8x8_s(a0 + tailAt), tailMask), w0, rowStride, tailAt));
        r1 = i32x4.add(r1, maskedTail4(v128.and(v128.load8x8_s(a1 + tailAt), tailMask), w0, rowStride, tailAt));
      } else if (k8 < k) {
        r0 = i32x4.add(r0, tails4(a0, w0, k, k8, k));
        r1 = i32x4.add(r1, tails4(a1, w0, k, k8, k));
      }
      const o0 = out + <usize>r * outStride + <usize>c;
      clampStoreX4Pair(o0, o0 + outStride, requantizeX4Block(r0, m, q0, q1, q2, q3, bounded, right),
        requantizeX4Block(r1, m, q0, q1, q2, q3, bounded, right), vOffset, vMin16, vMax16);
    }
    if (r < rows) {
      const a0 = a + <usize>r * inStep;
      let s0 = i32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
      for (let i = 0; i < k8; i += 8) {
        const x0 = v128.load8x8_s(a0 + <usize>i);
        s0 = i32x4.add(s0, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w0 + <usize>i)));
        s1 = i32x4.add(s1, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w1 + <usize>i)));
        s2 = i32x4.add(s2, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w2 + <usize>i)));
        s3 = i32x4.add(s3, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w3 + <usize>i)));
      }
      let r0 = i32x4.add(sum4(s0, s1, s2, s3), b);
      if (maskedTail) {
        r0 = i32x4.add(r0, maskedTail4(v128.and(v128.load8x8_s(a0 + tailAt), tailMask), w0, rowStride, tailAt));
      } else if (k8 < k) {
        r0 = i32x4.add(r0, tails4(a0, w0, k, k8, k));
      }
      clampStoreX4(out + <usize>r * outStride + <usize>c, requantizeX4Block(r0, m, q0, q1, q2, q3, bounded, right), vOffset, vMin, vMax);
    }
  }
  for (; c < n; c++) {
    const wc = w + <usize>c * rowStride;
    const bias = load<i32>(foldedBias + (<usize>c << 2));
    const m = load<i32>(multipliers + (<usize>c << 2));
    const sh = load<i32>(shifts + (<usize>c << 2));
    for (let r = 0; r < rows; r++) {
      store<i8>(out + <usize>r * outStride + <usize>c, channelS8(a + <usize>r * inStep, wc, k, k8, bias, m, sh, outOffset, actMin, actMax));
    }
  }
}

/**
 * matmulS8 without the gather, for a convolution's pixels whose windows lie inside the image: row r's
 * receptive field is `segs` runs of `segLen` bytes (segLen a multiple of 8), run j at a + r·rowStep + j·segStep,
 * in the filter's own (kh, kw, c) order. Same 2-row × 4-channel blocks and channel order as matmulS8.
 */
export function matmulDirectS8(
  a: usize, rows: i32, rowStep: usize, segs: i32, segStep: usize, segLen: i32,
  w: usize, n: i32, foldedBias: usize, multipliers: usize, shifts: usize,
  out: usize, outOffset: i32, actMin: i32, actMax: i32, table: usize,
): void {
  matmulDirectBodyS8(a, rows, rowStep, segs, segStep, segLen, w, 0, n, foldedBias, multipliers, shifts, out, outOffset, actMin, actMax, table);
}

/** matmulDirectS8 reading whole 4-channel blocks' weights from `packed` (as matmulPackedS8; k = segs·segLen). */
export function matmulDirectPackedS8(
  a: usize, rows: i32, rowStep: usize, segs: i32, segStep: usize, segLen: i32,
  w: usize, packed: usize, n: i32, foldedBias: usize, multipliers: usize, shifts: usize,
  out: usize, outOffset: i32, actMin: i32, actMax: i32, table: usize,
): void {
  matmulDirectBodyS8(a, rows, rowStep, segs, segStep, segLen, w, packed, n, foldedBias, multipliers, shifts, out, outOffset, actMin, actMax, table);
}

// @ts-ignore: decorator
@inline
function matmulDirectBodyS8(
  a: usize, rows: i32, rowStep: usize, segs: i32, segStep: usize, segLen: i32,
  w: usize, packed: usize, n: i32, foldedBias: usize, multipliers: usize, shifts: usize,
  out: usize, outOffset: i32, actMin: i32, actMax: i32, table: usize,
): void {
  const k = segs * segLen;
  const rowStride = <usize>k;
  const outStride = <usize>n;
  const vOffset = i32x4.splat(outOffset);
  const vMin = i32x4.splat(actMin);
  const vMax = i32x4.splat(actMax);
  const vMin16 = i16x8.splat(<i16>actMin);
  const vMax16 = i16x8.splat(<i16>actMax);
  let factorsOf = i32x4.splat(i32.MIN_VALUE);
  let q0 = i32x4.splat(0), q1 = q0, q2 = q0, q3 = q0;
  // |acc| < k·2^14 + max|folded bias| (int8 × int8 products): where that bound allows, the bounded form.
  const accBits = table != 0 ? 32 : matmulAccBits(k, foldedBias, n);
  let bounded = false, right = 0;
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    const w0 = w + <usize>c * rowStride;
    const w1 = w0 + rowStride;
    const w2 = w1 + rowStride;
    const w3 = w2 + rowStride;
    const b = v128.load(foldedBias + (<usize>c << 2));
    const m = v128.load(multipliers + (<usize>c << 2));
    const sh = v128.load(shifts + (<usize>c << 2));
    if (table != 0) {
      const t = table + <usize>(c >> 2) * FACTOR_BLOCK_BYTES;
      q0 = v128.load(t); q1 = v128.load(t, 16); q2 = v128.load(t, 32); q3 = v128.load(t, 48);
      bounded = load<i32>(t, 64) != 0; right = load<i32>(t, 68);
    } else {
      let e = 0, fits = false;
      if (accBits <= 30) {
        e = boundedRight(sh);
        fits = boundedApplies(accBits, m, sh, e);
      }
      if (fits != bounded || !i32x4.all_true(i32x4.eq(sh, factorsOf))) {
        factorsOf = sh; bounded = fits; right = e;
        q0 = blockFactor(0, sh, fits, e); q1 = blockFactor(1, sh, fits, e); q2 = blockFactor(2, sh, fits, e); q3 = blockFactor(3, sh, fits, e);
      }
    }
    let r = 0;
    for (; r + 2 <= rows; r += 2) {
      const p0 = a + <usize>r * rowStep;
      const p1 = p0 + rowStep;
      let s00 = i32x4.splat(0), s01 = s00, s02 = s00, s03 = s00;
      let s10 = s00, s11 = s00, s12 = s00, s13 = s00;
      if (packed != 0) {
        // Packed: the block's weights in k order, 32 bytes per 8 inputs, across the segments.
        let wp = packed + <usize>c * <usize>k;
        for (let j = 0; j < segs; j++) {
          let x0p = p0 + <usize>j * segStep, x1p = p1 + <usize>j * segStep;
          const end = x0p + <usize>segLen;
          for (; x0p < end; x0p += 8, x1p += 8, wp += 32) {
            const x0 = v128.load8x8_s(x0p);
            const x1 = v128.load8x8_s(x1p);
            let f = v128.load8x8_s(wp);
            s00 = i32x4.add(s00, i32x4.dot_i16x8_s(x0, f));
            s10 = i32x4.add(s10, i32x4.dot_i16x8_s(x1, f));
            f = v128.load8x8_s(wp, 8);
            s01 = i32x4.add(s01, i32x4.dot_i16x8_s(x0, f));
            s11 = i32x4.add(s11, i32x4.dot_i16x8_s(x1, f));
            f = v128.load8x8_s(wp, 16);
            s02 = i32x4.add(s02, i32x4.dot_i16x8_s(x0, f));
            s12 = i32x4.add(s12, i32x4.dot_i16x8_s(x1, f));
            f = v128.load8x8_s(wp, 24);
            s03 = i32x4.add(s03, i32x4.dot_i16x8_s(x0, f));
            s13 = i32x4.add(s13, i32x4.dot_i16x8_s(x1, f));
          }
        }
      } else {
        for (let j = 0; j < segs; j++) {
          const x0p = p0 + <usize>j * segStep;
          const x1p = p1 + <usize>j * segStep;
          const wo = <usize>(j * segLen);
          for (let i = 0; i < segLen; i += 8) {
            const x0 = v128.load8x8_s(x0p + <usize>i);
            const x1 = v128.load8x8_s(x1p + <usize>i);
            const wi = wo + <usize>i;
            let f = v128.load8x8_s(w0 + wi);
            s00 = i32x4.add(s00, i32x4.dot_i16x8_s(x0, f));
            s10 = i32x4.add(s10, i32x4.dot_i16x8_s(x1, f));
            f = v128.load8x8_s(w1 + wi);
            s01 = i32x4.add(s01, i32x4.dot_i16x8_s(x0, f));
            s11 = i32x4.add(s11, i32x4.dot_i16x8_s(x1, f));
            f = v128.load8x8_s(w2 + wi);
            s02 = i32x4.add(s02, i32x4.dot_i16x8_s(x0, f));
            s12 = i32x4.add(s12, i32x4.dot_i16x8_s(x1, f));
            f = v128.load8x8_s(w3 + wi);
            s03 = i32x4.add(s03, i32x4.dot_i16x8_s(x0, f));
            s13 = i32x4.add(s13, i32x4.dot_i16x8_s(x1, f));
          }
        }
      }
      const o0 = out + <usize>r * outStride + <usize>c;
      clampStoreX4Pair(o0, o0 + outStride, requantizeX4Block(i32x4.add(sum4(s00, s01, s02, s03), b), m, q0, q1, q2, q3, bounded, right),
        requantizeX4Block(i32x4.add(sum4(s10, s11, s12, s13), b), m, q0, q1, q2, q3, bounded, right), vOffset, vMin16, vMax16);
    }
    if (r < rows) {
      const p0 = a + <usize>r * rowStep;
      let s0 = i32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
      for (let j = 0; j < segs; j++) {
        const x0p = p0 + <usize>j * segStep;
        const wo = <usize>(j * segLen);
        for (let i = 0; i < segLen; i += 8) {
          const x0 = v128.load8x8_s(x0p + <usize>i);
          const wi = wo + <usize>i;
          s0 = i32x4.add(s0, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w0 + wi)));
          s1 = i32x4.add(s1, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w1 + wi)));
          s2 = i32x4.add(s2, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w2 + wi)));
          s3 = i32x4.add(s3, i32x4.dot_i16x8_s(x0, v128.load8x8_s(w3 + wi)));
        }
      }
      clampStoreX4(out + <usize>r * outStride + <usize>c,
        requantizeX4Block(i32x4.add(sum4(s0, s1, s2, s3), b), m, q0, q1, q2, q3, bounded, right), vOffset, vMin, vMax);
    }
  }
  for (; c < n; c++) {
    const wc = w + <usize>c * rowStride;
    const bias = load<i32>(foldedBias + (<usize>c << 2));
    const mc = load<i32>(multipliers + (<usize>c << 2));
    const shc = load<i32>(shifts + (<usize>c << 2));
    for (let r = 0; r < rows; r++) {
      const p0 = a + <usize>r * rowStep;
      let acc = bias;
      for (let j = 0; j < segs; j++) acc += dotTail(p0 + <usize>j * segStep, wc + <usize>(j * segLen), 0, segLen);
      acc = multiplyByQuantizedMultiplier(acc, mc, shc) + outOffset;
      store<i8>(out + <usize>r * outStride + <usize>c, <i8>min(max(acc, actMin), actMax));
    }
  }
}
