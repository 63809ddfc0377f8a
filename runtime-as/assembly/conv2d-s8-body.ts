// The body of CONV_2D int8 (TFLite Micro reference semantics; per-channel requantization), shared by the layout's
// kernel (kernels/conv2d_s8.ts) and its host twin over packed weights (host-kernels/conv2d_packed_s8.ts).
// Scalar build: the reference loop. SIMD build: gather output pixels' receptive fields into scratch
// (padding reads as the input zero point, which the folded bias cancels), up to `gather_rows` at a
// time, then the 2-row × 4-channel SIMD matrix product over them.
import { multiplyByQuantizedMultiplier } from './fixedpoint';
import {
  fillMatmulFactors, matmulDirectPackedS8, matmulDirectS8, matmulFactorsFit, matmulFactorTable, matmulPackedS8, matmulS8, matmulTableS8,
} from './matmul-s8';

/** memory.copy for the bytes of one filter row: a bulk-memory call costs more than a short loop. */
// @ts-ignore: decorator
@inline
function copySmall(dst: usize, src: usize, n: usize): void {
  if (n > 1024) {
    memory.copy(dst, src, n);
    return;
  }
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 16 <= n; i += 16) v128.store(dst + i, v128.load(src + i));
  }
  for (; i + 8 <= n; i += 8) store<u64>(dst + i, load<u64>(src + i));
  if (i + 4 <= n) {
    store<u32>(dst + i, load<u32>(src + i));
    i += 4;
  }
  for (; i < n; i++) store<u8>(dst + i, load<u8>(src + i));
}

/** Exactly n bytes (one filter row of a pixel inside the image): whole vectors, then straight-line remainders. */
// @ts-ignore: decorator
@inline
function copyRun(dst: usize, src: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) v128.store(dst + i, v128.load(src + i));
  if (i + 8 <= n) {
    store<u64>(dst + i, load<u64>(src + i));
    i += 8;
  }
  if (i + 4 <= n) {
    store<u32>(dst + i, load<u32>(src + i));
    i += 4;
  }
  if (i + 2 <= n) {
    store<u16>(dst + i, load<u16>(src + i));
    i += 2;
  }
  if (i < n) store<u8>(dst + i, load<u8>(src + i));
}

// @ts-ignore: decorator
@inline
function fillSmall(dst: usize, value: i32, n: usize): void {
  if (n > 32) {
    memory.fill(dst, <u8>value, n);
    return;
  }
  for (let i: usize = 0; i < n; i++) store<u8>(dst + i, <u8>value);
}

/** One output pixel's receptive field as a row of filter_h·filter_w·input_c int8 values. */
function gatherRow(
  row: usize, input: usize, b: i32, oy: i32, ox: i32,
  inH: i32, inW: i32, inC: i32, fH: i32, fW: i32,
  strideH: i32, strideW: i32, dilH: i32, dilW: i32, padH: i32, padW: i32, padValue: i32,
): void {
  const iy0 = oy * strideH - padH;
  const ix0 = ox * strideW - padW;
  let dst = row;
  const c = <usize>inC;
  for (let ky = 0; ky < fH; ky++) {
    const iy = iy0 + ky * dilH;
    if (iy < 0 || iy >= inH) {
      fillSmall(dst, padValue, c * <usize>fW);
      dst += c * <usize>fW;
      continue;
    }
    const rowBase = input + (<usize>(b * inH + iy) * <usize>inW) * c;
    if (dilW == 1 && ix0 >= 0 && ix0 + fW <= inW) {
      // The whole filter row is inside the image and contiguous.
      copySmall(dst, rowBase + <usize>ix0 * c, c * <usize>fW);
      dst += c * <usize>fW;
      continue;
    }
    for (let kx = 0; kx < fW; kx++) {
      const ix = ix0 + kx * dilW;
      if (ix < 0 || ix >= inW) fillSmall(dst, padValue, c);
      else copySmall(dst, rowBase + <usize>ix * c, c);
      dst += c;
    }
  }
}

/**
 * The matrix product of `rows` gathered rows: with the layer's factors where the table holds them (`table` not 0),
 * over packed weights where the host packed them (four rows and more).
 */
// @ts-ignore: decorator
@inline
function gatheredProduct(
  a: usize, rows: i32, w: usize, packed: usize, k: i32, n: i32, foldedBias: usize, multipliers: usize, shifts: usize,
  out: usize, outOffset: i32, actMin: i32, actMax: i32, table: usize,
): void {
  if (table != 0) matmulTableS8(a, rows, <usize>k, w, rows >= 4 ? packed : 0, k, n, foldedBias, multipliers, shifts, out, outOffset, actMin, actMax, table);
  else if (packed != 0 && rows >= 4) matmulPackedS8(a, rows, w, packed, k, n, foldedBias, multipliers, shifts, out, outOffset, actMin, actMax);
  else matmulS8(a, rows, w, k, n, foldedBias, multipliers, shifts, out, outOffset, actMin, actMax);
}

/** conv2d_s8, with `packed` the host's interleaved copy of the weights (runtime-as/host/packed-weights.ts) or 0. */
// @ts-ignore: decorator
@inline
export function conv2dBodyS8(
  input: usize, filter: usize, packed: usize, bias: usize, foldedBias: usize, multipliers: usize, shifts: usize, output: usize, scratch: usize,
  batches: i32, inH: i32, inW: i32, inC: i32, fH: i32, fW: i32, outH: i32, outW: i32, outC: i32,
  strideH: i32, strideW: i32, dilH: i32, dilW: i32, padH: i32, padW: i32,
  inputOffset: i32, outputOffset: i32, actMin: i32, actMax: i32, gatherRows: i32,
): void {
  if (ASC_FEATURE_SIMD) {
    // Gather gatherRows pixels' receptive fields at a time (scratch holds them, k bytes each), then one
    // channel-block-outer matrix product over them; output pixels are contiguous across batches.
    const k = fH * fW * inC;
    const pixels = outH * outW;
    const total = batches * pixels;
    const c = <usize>inC;
    const runBytes = <usize>fW * c;
    const rowStep = <usize>dilH * <usize>inW * c;
    // The blocks' requantization factors, made once for the layer's many products (where the table holds them).
    const table = matmulFactorsFit(outC) ? matmulFactorTable : 0;
    if (table != 0) fillMatmulFactors(table, k, outC, foldedBias, multipliers, shifts);
    if (table != 0 && fH == 1 && fW == 1 && padH == 0 && padW == 0 && (outH - 1) * strideH < inH && (outW - 1) * strideW < inW) {
      // 1×1 with a stride (every pixel inside the image): each output row's pixels read in place, strideW·inC
      // bytes apart — no gather, and the accumulator bound made once for the layer. One product per output
      // row keeps the row-streaming promise (prepare/row-stream.ts): channel blocks are outermost in a product.
      const step = <usize>strideW * c;
      for (let b = 0; b < batches; b++) {
        for (let oy = 0; oy < outH; oy++) {
          const at = input + (<usize>((b * inH + oy * strideH) * inW)) * c;
          const out = output + <usize>((b * outH + oy) * outW) * <usize>outC;
          matmulTableS8(at, outW, step, filter, packed, k, outC, foldedBias, multipliers, shifts, out, outputOffset, actMin, actMax, table);
        }
      }
      return;
    }
    if (dilW == 1 && (runBytes & 7) == 0 && outW >= 24) {
      // Filter rows a multiple of 8 bytes: pixels whose window lies inside the image are read in place
      // (matmulDirectS8), only the border ones gathered. Output rows in order, as the gather path. Below 24
      // output columns the border calls cost more than the copies saved (measured on ResNet-8's 8- and
      // 16-wide layers; still so with the factor table: 16 wide even, 8 wide 0.95–0.97×).
      const pixStep = <usize>strideW * c;
      // Inside columns: ix0 = ox·strideW - padW >= 0 and ix0 + fW <= inW.
      const oxLo = min(outW, (padW + strideW - 1) / strideW);
      const oxHi = max(oxLo, min(outW, inW - fW + padW >= 0 ? (inW - fW + padW) / strideW + 1 : 0));
      for (let b = 0; b < batches; b++) {
        for (let oy = 0; oy < outH; oy++) {
          const iy0 = oy * strideH - padH;
          const outRow = output + <usize>((b * outH + oy) * outW) * <usize>outC;
          const inside = iy0 >= 0 && iy0 + (fH - 1) * dilH < inH;
          const lo = inside ? oxLo : outW;
          const hi = inside ? oxHi : outW;
          // Border pixels before the inside run (or the whole row), then the run, then the rest.
          for (let ox = 0; ox < lo; ox += gatherRows) {
            const rows = min(gatherRows, lo - ox);
            for (let r = 0; r < rows; r++) {
              gatherRow(scratch + <usize>(r * k), input, b, oy, ox + r, inH, inW, inC, fH, fW,
                strideH, strideW, dilH, dilW, padH, padW, -inputOffset);
            }
            gatheredProduct(scratch, rows, filter, packed, k, outC, foldedBias, multipliers, shifts, outRow + <usize>ox * <usize>outC, outputOffset, actMin, actMax, table);
          }
          if (hi > lo) {
            const at = input + (<usize>((b * inH + iy0) * inW + lo * strideW - padW)) * c;
            if (packed != 0) {
              matmulDirectPackedS8(at, hi - lo, pixStep, fH, rowStep, <i32>runBytes, filter, packed, outC, foldedBias, multipliers, shifts,
                outRow + <usize>lo * <usize>outC, outputOffset, actMin, actMax, table);
            } else matmulDirectS8(at, hi - lo, pixStep, fH, rowStep, <i32>runBytes, filter, outC, foldedBias, multipliers, shifts,
              outRow + <usize>lo * <usize>outC, outputOffset, actMin, actMax, table);
          }
          for (let ox = max(hi, lo); ox < outW; ox += gatherRows) {
            const rows = min(gatherRows, outW - ox);
            for (let r = 0; r < rows; r++) {
              gatherRow(scratch + <usize>(r * k), input, b, oy, ox + r, inH, inW, inC, fH, fW,
                strideH, strideW, dilH, dilW, padH, padW, -inputOffset);
            }
            gatheredProduct(scratch, rows, filter, packed, k, outC, foldedBias, multipliers, shifts, outRow + <usize>ox * <usize>outC, outputOffset, actMin, actMax, table);
          }
        }
      }
      return;
    }
    // The next pixel's batch, row and column, stepped along (no per-pixel division).
    let b = 0, oy = 0, ox = 0;
    for (let p = 0; p < total; p += gatherRows) {
      const rows = min(gatherRows, total - p);
      for (let r = 0; r < rows; r++) {
        const iy0 = oy * strideH - padH;
        const ix0 = ox * strideW - padW;
        if (dilW == 1 && iy0 >= 0 && iy0 + (fH - 1) * dilH < inH && ix0 >= 0 && ix0 + fW <= inW) {
          // Inside the image (most pixels): fH contiguous runs of fW·inC bytes, one input row apart.
          let src = input + (<usize>((b * inH + iy0) * inW + ix0)) * c;
          let dst = scratch + <usize>(r * k);
          for (let ky = 0; ky < fH; ky++) {
            copyRun(dst, src, runBytes);
            src += rowStep;
            dst += runBytes;
          }
        } else {
          gatherRow(scratch + <usize>(r * k), input, b, oy, ox, inH, inW, inC, fH, fW,
            strideH, strideW, dilH, dilW, padH, padW, -inputOffset);
        }
        if (++ox == outW) {
          ox = 0;
          if (++oy == outH) {
            oy = 0;
            b++;
          }
        }
      }
      gatheredProduct(scratch, rows, filter, packed, k, outC, foldedBias, multipliers, shifts, output + <usize>p * <usize>outC, outputOffset, actMin, actMax, table);
    }
  } else {
    for (let b = 0; b < batches; b++) {
      for (let oy = 0; oy < outH; oy++) {
        const iy0 = oy * strideH - padH;
        for (let ox = 0; ox < outW; ox++) {
          const ix0 = ox * strideW - padW;
          const out = output + <usize>(((b * outH + oy) * outW + ox) * outC);
          for (let oc = 0; oc < outC; oc++) {
            let acc: i32 = 0;
            for (let ky = 0; ky < fH; ky++) {
              const iy = iy0 + dilH * ky;
              if (iy < 0 || iy >= inH) continue;
              for (let kx = 0; kx < fW; kx++) {
                const ix = ix0 + dilW * kx;
                if (ix < 0 || ix >= inW) continue;
                const x = input + <usize>(((b * inH + iy) * inW + ix) * inC);
                const w = filter + <usize>(((oc * fH + ky) * fW + kx) * inC);
                for (let ic = 0; ic < inC; ic++) {
                  acc += <i32>load<i8>(w + <usize>ic) * (<i32>load<i8>(x + <usize>ic) + inputOffset);
                }
              }
            }
            if (bias != 0) acc += load<i32>(bias + (<usize>oc << 2));
            acc = multiplyByQuantizedMultiplier(acc, load<i32>(multipliers + (<usize>oc << 2)), load<i32>(shifts + (<usize>oc << 2)));
            acc = min(max(acc + outputOffset, actMin), actMax);
            store<i8>(out + <usize>oc, <i8>acc);
          }
        }
      }
    }
  }
}
