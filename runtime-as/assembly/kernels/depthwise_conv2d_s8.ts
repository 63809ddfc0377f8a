// DEPTHWISE_CONV_2D int8 (TFLite Micro reference semantics): any depth multiplier and dilation.
// SIMD build: output channels are the lanes — blocks of eight (or four) channels, each over all pixels
// with its requantization factors in registers; the input offset added in 16 bits (x + offset fits),
// products widened to 32 bits; taps outside the image are skipped as the reference does. Depth
// multiplier 1 loads eight input channels per tap; larger multipliers splat one input value across
// the multiplier's contiguous output channels. Channel tails run scalar; the scalar build runs the
// reference loop.
import { multiplyByQuantizedMultiplier } from '../fixedpoint';
import { blockFactor, boundBits, boundedApplies, boundedRight, maxAbsInt32, requantizeX4Block } from '../requantize-bounded-simd';
import { clampStoreX4, clampStoreX4Pair } from '../requantize-simd';

// @ts-ignore: decorator
@inline
function requantizeS8(acc: i32, oc: i32, bias: usize, multipliers: usize, shifts: usize, outputOffset: i32, actMin: i32, actMax: i32): i8 {
  if (bias != 0) acc += load<i32>(bias + (<usize>oc << 2));
  acc = multiplyByQuantizedMultiplier(acc, load<i32>(multipliers + (<usize>oc << 2)), load<i32>(shifts + (<usize>oc << 2)));
  return <i8>min(max(acc + outputOffset, actMin), actMax);
}

/** First filter tap (of `size`, spaced `dilation`) whose input position origin + tap·dilation is >= 0. */
// @ts-ignore: decorator
@inline
function firstTap(origin: i32, dilation: i32, size: i32): i32 {
  if (origin >= 0) return 0;
  return dilation == 1 ? min(size, -origin) : min(size, (dilation - 1 - origin) / dilation);
}

/** One past the last filter tap whose input position is < extent. */
// @ts-ignore: decorator
@inline
function endTap(origin: i32, dilation: i32, size: i32, extent: i32): i32 {
  if (extent <= origin) return 0;
  // Division only when the filter is dilated (rare): it costs more than the taps of a small filter.
  return dilation == 1 ? min(size, extent - origin) : min(size, (extent - origin + dilation - 1) / dilation);
}

/** Eight input values plus the input offset as i16 lanes: eight channels, or one channel splat across all lanes. */
// @ts-ignore: decorator
@inline
function inputX8(p: usize, splat: bool, vInOffset: v128, inputOffset: i32): v128 {
  return splat ? i16x8.splat(<i16>(<i32>load<i8>(p) + inputOffset)) : i16x8.add(v128.load8x8_s(p), vInOffset);
}

/** As inputX8, four lanes widened to i32. */
// @ts-ignore: decorator
@inline
function inputX4(p: usize, splat: bool, vInOffset32: v128, inputOffset: i32): v128 {
  return splat ? i32x4.splat(<i32>load<i8>(p) + inputOffset)
    : i32x4.add(i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(v128.load32_zero(p))), vInOffset32);
}

/**
 * Output columns [oxFrom, oxTo) of two output rows (out, out + outRow) for eight channels, the rows' input from
 * input row iy0 on (every filter row inside the image). raw: the columns' windows lie inside the image, inputs are
 * multiplied raw and init holds the folded bias; otherwise the input offset is added and outside taps skipped.
 */
// @ts-ignore: decorator
@inline
function depthwiseTwoRows(
  splat: bool, raw: bool, oxFrom: i32, oxTo: i32, out: usize, inBase: usize, iy0: i32, wBase: usize, init0: v128, init1: v128,
  ci: usize, co: usize, inW: i32, fH: i32, fW: i32, strideW: i32, dilH: i32, dilW: i32, padW: i32, rowStep: usize, outRow: usize,
  inputOffset: i32, vInOffset: v128,
  m0: v128, left0: v128, pow0: v128, mask0: v128, thr0: v128, bounded0: bool, right0: i32,
  m1: v128, left1: v128, pow1: v128, mask1: v128, thr1: v128, bounded1: bool, right1: i32,
  vOffset: v128, vMin16: v128, vMax16: v128,
): void {
  const xStep = <usize>dilW * ci;
  for (let ox = oxFrom; ox < oxTo; ox++) {
    const ix0 = ox * strideW - padW;
    const kx0 = raw ? 0 : firstTap(ix0, dilW, fW);
    const kx1 = raw ? fW : endTap(ix0, dilW, fW, inW);
    let loA = init0, hiA = init1, loB = init0, hiB = init1;
    for (let ky = 0; ky < fH; ky++) {
      const xRow = inBase + (<usize>((iy0 + ky * dilH) * inW + ix0)) * ci;
      const wRow = wBase + <usize>(ky * fW) * co;
      let kx = kx0;
      // Taps in pairs, interleaved lane by lane: one i32x4.dot_i16x8_s then sums both taps' products.
      for (; kx + 2 <= kx1; kx += 2) {
        const xp = xRow + <usize>(kx * dilW) * ci;
        const wp = wRow + <usize>kx * co;
        const w0 = v128.load8x8_s(wp);
        const w1 = v128.load8x8_s(wp + co);
        const wLo = i16x8.shuffle(w0, w1, 0, 8, 1, 9, 2, 10, 3, 11);
        const wHi = i16x8.shuffle(w0, w1, 4, 12, 5, 13, 6, 14, 7, 15);
        if (splat) {
          // Both taps' single input values, as one repeated (tap 0, tap 1) i16 pair.
          const pa = i32x4.splat(((<i32>load<i8>(xp) + inputOffset) & 0xffff) | ((<i32>load<i8>(xp + xStep) + inputOffset) << 16));
          const pb = i32x4.splat(((<i32>load<i8>(xp + rowStep) + inputOffset) & 0xffff) | ((<i32>load<i8>(xp + rowStep + xStep) + inputOffset) << 16));
          loA = i32x4.add(loA, i32x4.dot_i16x8_s(pa, wLo));
          hiA = i32x4.add(hiA, i32x4.dot_i16x8_s(pa, wHi));
          loB = i32x4.add(loB, i32x4.dot_i16x8_s(pb, wLo));
          hiB = i32x4.add(hiB, i32x4.dot_i16x8_s(pb, wHi));
        } else {
          let a0 = v128.load8x8_s(xp), a1 = v128.load8x8_s(xp + xStep);
          let c0 = v128.load8x8_s(xp + rowStep), c1 = v128.load8x8_s(xp + rowStep + xStep);
          // Raw inputs: the offset is folded into init, so nothing is added.
          if (!raw) {
            a0 = i16x8.add(a0, vInOffset); a1 = i16x8.add(a1, vInOffset);
            c0 = i16x8.add(c0, vInOffset); c1 = i16x8.add(c1, vInOffset);
          }
          loA = i32x4.add(loA, i32x4.dot_i16x8_s(i16x8.shuffle(a0, a1, 0, 8, 1, 9, 2, 10, 3, 11), wLo));
          hiA = i32x4.add(hiA, i32x4.dot_i16x8_s(i16x8.shuffle(a0, a1, 4, 12, 5, 13, 6, 14, 7, 15), wHi));
          loB = i32x4.add(loB, i32x4.dot_i16x8_s(i16x8.shuffle(c0, c1, 0, 8, 1, 9, 2, 10, 3, 11), wLo));
          hiB = i32x4.add(hiB, i32x4.dot_i16x8_s(i16x8.shuffle(c0, c1, 4, 12, 5, 13, 6, 14, 7, 15), wHi));
        }
      }
      for (; kx < kx1; kx++) {
        const xp = xRow + <usize>(kx * dilW) * ci;
        const w = v128.load8x8_s(wRow + <usize>kx * co);
        const xa = raw ? v128.load8x8_s(xp) : inputX8(xp, splat, vInOffset, inputOffset);
        const xb = raw ? v128.load8x8_s(xp + rowStep) : inputX8(xp + rowStep, splat, vInOffset, inputOffset);
        loA = i32x4.add(loA, i32x4.extmul_low_i16x8_s(xa, w));
        hiA = i32x4.add(hiA, i32x4.extmul_high_i16x8_s(xa, w));
        loB = i32x4.add(loB, i32x4.extmul_low_i16x8_s(xb, w));
        hiB = i32x4.add(hiB, i32x4.extmul_high_i16x8_s(xb, w));
      }
    }
    const o = out + <usize>ox * co;
    clampStoreX4Pair(o, o + 4, requantizeX4Block(loA, m0, left0, pow0, mask0, thr0, bounded0, right0),
      requantizeX4Block(hiA, m1, left1, pow1, mask1, thr1, bounded1, right1), vOffset, vMin16, vMax16);
    clampStoreX4Pair(o + outRow, o + outRow + 4, requantizeX4Block(loB, m0, left0, pow0, mask0, thr0, bounded0, right0),
      requantizeX4Block(hiB, m1, left1, pow1, mask1, thr1, bounded1, right1), vOffset, vMin16, vMax16);
  }
}

const BORDER = 0, INNER = 1, SPLAT = 2;

/**
 * depthwiseTwoRows in one of its three specializations (BORDER: offset added, taps clipped; INNER: raw inputs,
 * folded bias; SPLAT: depth multiplier > 1). Inlined into the block: as a call, its ~45 arguments (14 vectors)
 * cost more than the pixels of a small image's row pair (VWW's depthwise layers 1.07–1.17× inlined, the 6×6 and
 * 3×3 ones most).
 */
// @ts-ignore: decorator
@inline
function depthwiseTwoRowsAs(
  kind: i32,
  oxFrom: i32, oxTo: i32, out: usize, inBase: usize, iy0: i32, wBase: usize, init0: v128, init1: v128,
  ci: usize, co: usize, inW: i32, fH: i32, fW: i32, strideW: i32, dilH: i32, dilW: i32, padW: i32, rowStep: usize, outRow: usize,
  inputOffset: i32, vInOffset: v128,
  m0: v128, left0: v128, pow0: v128, mask0: v128, thr0: v128, bounded0: bool, right0: i32,
  m1: v128, left1: v128, pow1: v128, mask1: v128, thr1: v128, bounded1: bool, right1: i32,
  vOffset: v128, vMin16: v128, vMax16: v128,
): void {
  if (kind == INNER) {
    depthwiseTwoRows(false, true, oxFrom, oxTo, out, inBase, iy0, wBase, init0, init1, ci, co, inW, fH, fW, strideW, dilH, dilW, padW, rowStep, outRow,
    inputOffset, vInOffset, m0, left0, pow0, mask0, thr0, bounded0, right0, m1, left1, pow1, mask1, thr1, bounded1, right1, vOffset, vMin16, vMax16);
  } else if (kind == SPLAT) {
    depthwiseTwoRows(true, false, oxFrom, oxTo, out, inBase, iy0, wBase, init0, init1, ci, co, inW, fH, fW, strideW, dilH, dilW, padW, rowStep, outRow,
    inputOffset, vInOffset, m0, left0, pow0, mask0, thr0, bounded0, right0, m1, left1, pow1, mask1, thr1, bounded1, right1, vOffset, vMin16, vMax16);
  } else {
    depthwiseTwoRows(false, false, oxFrom, oxTo, out, inBase, iy0, wBase, init0, init1, ci, co, inW, fH, fW, strideW, dilH, dilW, padW, rowStep, outRow,
    inputOffset, vInOffset, m0, left0, pow0, mask0, thr0, bounded0, right0, m1, left1, pow1, mask1, thr1, bounded1, right1, vOffset, vMin16, vMax16);
  }
}

/**
 * Output channels [ch, ch + 8) (lanes = 8) or [ch, ch + 4) (lanes = 4) over every output pixel: the
 * block's bias and requantization factors are set up once, then stay in registers. Depth multiplier 1
 * (splat = false): input channel ch + j feeds lane j. Larger multipliers (splat = true): the block's
 * channels all come from input channel inCh, contiguous in the filter and the output, so that one input
 * value is splat across the lanes. inC strides the input, outC the filter and the output.
 */
// @ts-ignore: decorator
@inline
function depthwiseBlockSimd(
  lanes: i32, splat: bool, ch: i32, inCh: i32,
  input: usize, filter: usize, bias: usize, multipliers: usize, shifts: usize, output: usize,
  batches: i32, inH: i32, inW: i32, inC: i32, outC: i32, fH: i32, fW: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, dilH: i32, dilW: i32, padH: i32, padW: i32,
  inputOffset: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  const ci = <usize>inC;
  const co = <usize>outC;
  const vInOffset = i16x8.splat(<i16>inputOffset);
  const vInOffset32 = i32x4.splat(inputOffset);
  const vOffset = i32x4.splat(outputOffset);
  const vMin = i32x4.splat(actMin);
  const vMax = i32x4.splat(actMax);
  const vMin16 = i16x8.splat(<i16>actMin);
  const vMax16 = i16x8.splat(<i16>actMax);
  const zero = i32x4.splat(0);
  const b0 = bias != 0 ? v128.load(bias + (<usize>ch << 2)) : zero;
  const m0 = v128.load(multipliers + (<usize>ch << 2));
  const sh0 = v128.load(shifts + (<usize>ch << 2));
  // |acc| < taps·2^15 + max|bias| (|w| <= 128, |x + offset| <= 256): where that allows, the bounded form.
  const accBits = boundBits(<u64>(fH * fW) * 32768 + <u64>(bias != 0 ? maxAbsInt32(bias + (<usize>ch << 2), lanes) : 0));
  const right0 = boundedRight(sh0);
  const bounded0 = boundedApplies(accBits, m0, sh0, right0);
  const left0 = blockFactor(0, sh0, bounded0, right0), pow0 = blockFactor(1, sh0, bounded0, right0);
  const mask0 = blockFactor(2, sh0, bounded0, right0), thr0 = blockFactor(3, sh0, bounded0, right0);
  let b1 = zero, m1 = zero, left1 = zero, pow1 = zero, mask1 = zero, thr1 = zero;
  let bounded1 = false, right1 = 0;
  if (lanes == 8) {
    b1 = bias != 0 ? v128.load(bias + (<usize>(ch + 4) << 2)) : zero;
    m1 = v128.load(multipliers + (<usize>(ch + 4) << 2));
    const sh1 = v128.load(shifts + (<usize>(ch + 4) << 2));
    right1 = boundedRight(sh1);
    bounded1 = boundedApplies(accBits, m1, sh1, right1);
    left1 = blockFactor(0, sh1, bounded1, right1); pow1 = blockFactor(1, sh1, bounded1, right1);
    mask1 = blockFactor(2, sh1, bounded1, right1); thr1 = blockFactor(3, sh1, bounded1, right1);
  }
  const wBase = filter + <usize>ch;
  // The folded bias, bias + input_offset·Σw over every tap (CMSIS-NN's trick): pixels whose window lies inside
  // the image then multiply raw inputs. (Depth multiplier 1; the splat path keeps the offset.)
  let fold0 = b0, fold1 = b1;
  if (lanes == 8 && !splat) {
    let s0 = zero, s1 = zero;
    for (let t = 0; t < fH * fW; t++) {
      const w = v128.load8x8_s(wBase + <usize>t * co);
      s0 = i32x4.add(s0, i32x4.extend_low_i16x8_s(w));
      s1 = i32x4.add(s1, i32x4.extend_high_i16x8_s(w));
    }
    fold0 = i32x4.add(b0, i32x4.mul(s0, vInOffset32));
    fold1 = i32x4.add(b1, i32x4.mul(s1, vInOffset32));
  }
  for (let b = 0; b < batches; b++) {
    const inBase = input + <usize>(b * inH) * <usize>inW * ci + <usize>inCh;
    let out = output + <usize>(b * outH) * <usize>outW * co + <usize>ch;
    const rowStep = <usize>strideH * <usize>inW * ci;
    const outRow = <usize>outW * co;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padH;
      if (lanes == 8 && oy + 1 < outH && iy0 >= 0 && iy0 + strideH + (fH - 1) * dilH < inH) {
        // Two output rows at once where both see every filter row: each weight load serves two pixels.
        // Columns whose window lies inside the image take raw inputs with the folded bias; the border
        // columns add the input offset and skip the taps outside.
        const inner0 = min(outW, (padW + strideW - 1) / strideW);
        // Last column whose window ends inside: ix0 + (fW - 1)·dilW <= inW - 1 (none when that is negative at ox 0).
        const lastFit = inW - 1 - (fW - 1) * dilW + padW;
        const inner1 = lastFit < 0 ? inner0 : max(inner0, min(outW, lastFit / strideW + 1));
        if (splat) {
          depthwiseTwoRowsAs(SPLAT, 0, outW, out, inBase, iy0, wBase, b0, b1, ci, co, inW, fH, fW, strideW, dilH, dilW, padW, rowStep, outRow,
            inputOffset, vInOffset, m0, left0, pow0, mask0, thr0, bounded0, right0, m1, left1, pow1, mask1, thr1, bounded1, right1, vOffset, vMin16, vMax16);
        } else {
          depthwiseTwoRowsAs(BORDER, 0, inner0, out, inBase, iy0, wBase, b0, b1, ci, co, inW, fH, fW, strideW, dilH, dilW, padW, rowStep, outRow,
            inputOffset, vInOffset, m0, left0, pow0, mask0, thr0, bounded0, right0, m1, left1, pow1, mask1, thr1, bounded1, right1, vOffset, vMin16, vMax16);
          depthwiseTwoRowsAs(INNER, inner0, inner1, out, inBase, iy0, wBase, fold0, fold1, ci, co, inW, fH, fW, strideW, dilH, dilW, padW, rowStep, outRow,
            inputOffset, vInOffset, m0, left0, pow0, mask0, thr0, bounded0, right0, m1, left1, pow1, mask1, thr1, bounded1, right1, vOffset, vMin16, vMax16);
          depthwiseTwoRowsAs(BORDER, inner1, outW, out, inBase, iy0, wBase, b0, b1, ci, co, inW, fH, fW, strideW, dilH, dilW, padW, rowStep, outRow,
            inputOffset, vInOffset, m0, left0, pow0, mask0, thr0, bounded0, right0, m1, left1, pow1, mask1, thr1, bounded1, right1, vOffset, vMin16, vMax16);
        }
        out += <usize>outW * co + outRow;
        oy++;
        continue;
      }
      const ky0 = firstTap(iy0, dilH, fH);
      const ky1 = endTap(iy0, dilH, fH, inH);
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * strideW - padW;
        const kx0 = firstTap(ix0, dilW, fW);
        const kx1 = endTap(ix0, dilW, fW, inW);
        let lo = b0;
        let hi = b1;
        for (let ky = ky0; ky < ky1; ky++) {
          const xRow = inBase + (<usize>((iy0 + ky * dilH) * inW + ix0)) * ci;
          const wRow = wBase + <usize>(ky * fW) * co;
          let kx = kx0;
          if (lanes == 8) {
            // Three taps per step (3×3 filters, the common case) to cut loop overhead.
            const xStep = <usize>dilW * ci;
            for (; kx + 3 <= kx1; kx += 3) {
              const xp = xRow + <usize>(kx * dilW) * ci;
              const wp = wRow + <usize>kx * co;
              let x = inputX8(xp, splat, vInOffset, inputOffset);
              let w = v128.load8x8_s(wp);
              lo = i32x4.add(lo, i32x4.extmul_low_i16x8_s(x, w));
              hi = i32x4.add(hi, i32x4.extmul_high_i16x8_s(x, w));
              x = inputX8(xp + xStep, splat, vInOffset, inputOffset);
              w = v128.load8x8_s(wp + co);
              lo = i32x4.add(lo, i32x4.extmul_low_i16x8_s(x, w));
              hi = i32x4.add(hi, i32x4.extmul_high_i16x8_s(x, w));
              x = inputX8(xp + 2 * xStep, splat, vInOffset, inputOffset);
              w = v128.load8x8_s(wp + 2 * co);
              lo = i32x4.add(lo, i32x4.extmul_low_i16x8_s(x, w));
              hi = i32x4.add(hi, i32x4.extmul_high_i16x8_s(x, w));
            }
          }
          for (; kx < kx1; kx++) {
            if (lanes == 8) {
              // x + offset fits in 16 bits; the products widen to 32.
              const x = inputX8(xRow + <usize>(kx * dilW) * ci, splat, vInOffset, inputOffset);
              const w = v128.load8x8_s(wRow + <usize>kx * co);
              lo = i32x4.add(lo, i32x4.extmul_low_i16x8_s(x, w));
              hi = i32x4.add(hi, i32x4.extmul_high_i16x8_s(x, w));
            } else {
              const x = inputX4(xRow + <usize>(kx * dilW) * ci, splat, vInOffset32, inputOffset);
              const w = i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(v128.load32_zero(wRow + <usize>kx * co)));
              lo = i32x4.add(lo, i32x4.mul(x, w));
            }
          }
        }
        if (lanes == 8) {
          clampStoreX4Pair(out, out + 4, requantizeX4Block(lo, m0, left0, pow0, mask0, thr0, bounded0, right0),
            requantizeX4Block(hi, m1, left1, pow1, mask1, thr1, bounded1, right1), vOffset, vMin16, vMax16);
        } else {
          clampStoreX4(out, requantizeX4Block(lo, m0, left0, pow0, mask0, thr0, bounded0, right0), vOffset, vMin, vMax);
        }
        out += co;
      }
    }
  }
}

/** Output channel oc (fed by input channel ic) over every output pixel, scalar: the SIMD builds' channel tails. */
function depthwiseChannelScalar(
  oc: i32, ic: i32,
  input: usize, filter: usize, bias: usize, multipliers: usize, shifts: usize, output: usize,
  batches: i32, inH: i32, inW: i32, inC: i32, outC: i32, fH: i32, fW: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, dilH: i32, dilW: i32, padH: i32, padW: i32,
  inputOffset: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  const ci = <usize>inC;
  const co = <usize>outC;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padH;
      const ky0 = firstTap(iy0, dilH, fH);
      const ky1 = endTap(iy0, dilH, fH, inH);
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * strideW - padW;
        const kx0 = firstTap(ix0, dilW, fW);
        const kx1 = endTap(ix0, dilW, fW, inW);
        let acc: i32 = 0;
        for (let ky = ky0; ky < ky1; ky++) {
          const xRow = input + (<usize>((b * inH + iy0 + ky * dilH) * inW + ix0)) * ci + <usize>ic;
          const wRow = filter + <usize>(ky * fW) * co + <usize>oc;
          for (let kx = kx0; kx < kx1; kx++) {
            acc += <i32>load<i8>(wRow + <usize>kx * co) * (<i32>load<i8>(xRow + <usize>(kx * dilW) * ci) + inputOffset);
          }
        }
        const out = output + <usize>((b * outH + oy) * outW + ox) * co + <usize>oc;
        store<i8>(out, requantizeS8(acc, oc, bias, multipliers, shifts, outputOffset, actMin, actMax));
      }
    }
  }
}

/**
 * SIMD build: every output channel of depth multiplier `dm` — blocks of eight, then four channels of
 * one input channel (all channels at once when dm = 1), the rest (dm mod 4, or channels mod 4) scalar.
 */
function depthwiseSimd(
  input: usize, filter: usize, bias: usize, multipliers: usize, shifts: usize, output: usize,
  batches: i32, inH: i32, inW: i32, inC: i32, dm: i32, fH: i32, fW: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, dilH: i32, dilW: i32, padH: i32, padW: i32,
  inputOffset: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  const outC = inC * dm;
  if (dm == 1) {
    let ch = 0;
    for (; ch + 8 <= inC; ch += 8) {
      depthwiseBlockSimd(8, false, ch, ch, input, filter, bias, multipliers, shifts, output, batches, inH, inW, inC, outC, fH, fW,
        outH, outW, strideH, strideW, dilH, dilW, padH, padW, inputOffset, outputOffset, actMin, actMax);
    }
    if (ch + 4 <= inC) {
      depthwiseBlockSimd(4, false, ch, ch, input, filter, bias, multipliers, shifts, output, batches, inH, inW, inC, outC, fH, fW,
        outH, outW, strideH, strideW, dilH, dilW, padH, padW, inputOffset, outputOffset, actMin, actMax);
      ch += 4;
    }
    for (; ch < inC; ch++) {
      depthwiseChannelScalar(ch, ch, input, filter, bias, multipliers, shifts, output, batches, inH, inW, inC, outC, fH, fW,
        outH, outW, strideH, strideW, dilH, dilW, padH, padW, inputOffset, outputOffset, actMin, actMax);
    }
    return;
  }
  for (let ic = 0; ic < inC; ic++) {
    const first = ic * dm;
    const end = first + dm;
    let ch = first;
    for (; ch + 8 <= end; ch += 8) {
      depthwiseBlockSimd(8, true, ch, ic, input, filter, bias, multipliers, shifts, output, batches, inH, inW, inC, outC, fH, fW,
        outH, outW, strideH, strideW, dilH, dilW, padH, padW, inputOffset, outputOffset, actMin, actMax);
    }
    if (ch + 4 <= end) {
      depthwiseBlockSimd(4, true, ch, ic, input, filter, bias, multipliers, shifts, output, batches, inH, inW, inC, outC, fH, fW,
        outH, outW, strideH, strideW, dilH, dilW, padH, padW, inputOffset, outputOffset, actMin, actMax);
      ch += 4;
    }
    for (; ch < end; ch++) {
      depthwiseChannelScalar(ch, ic, input, filter, bias, multipliers, shifts, output, batches, inH, inW, inC, outC, fH, fW,
        outH, outW, strideH, strideW, dilH, dilW, padH, padW, inputOffset, outputOffset, actMin, actMax);
    }
  }
}

export function depthwise_conv2d_s8(
  input: usize, filter: usize, bias: usize, multipliers: usize, shifts: usize, output: usize,
  batches: i32, inH: i32, inW: i32, inC: i32, fH: i32, fW: i32, outH: i32, outW: i32, depthMultiplier: i32,
  strideH: i32, strideW: i32, dilH: i32, dilW: i32, padH: i32, padW: i32,
  inputOffset: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  if (ASC_FEATURE_SIMD) {
    depthwiseSimd(input, filter, bias, multipliers, shifts, output, batches, inH, inW, inC, depthMultiplier, fH, fW, outH, outW,
      strideH, strideW, dilH, dilW, padH, padW, inputOffset, outputOffset, actMin, actMax);
    return;
  }
  const outC = inC * depthMultiplier;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * strideW - padW;
        const out = output + <usize>(((b * outH + oy) * outW + ox) * outC);
        for (let ic = 0; ic < inC; ic++) {
          for (let m = 0; m < depthMultiplier; m++) {
            const oc = m + ic * depthMultiplier;
            let acc: i32 = 0;
            for (let ky = 0; ky < fH; ky++) {
              const iy = iy0 + dilH * ky;
              if (iy < 0 || iy >= inH) continue;
              for (let kx = 0; kx < fW; kx++) {
                const ix = ix0 + dilW * kx;
                if (ix < 0 || ix >= inW) continue;
                const x = <i32>load<i8>(input + <usize>(((b * inH + iy) * inW + ix) * inC + ic));
                const w = <i32>load<i8>(filter + <usize>((ky * fW + kx) * outC + oc));
                acc += w * (x + inputOffset);
              }
            }
            store<i8>(out + <usize>oc, requantizeS8(acc, oc, bias, multipliers, shifts, outputOffset, actMin, actMax));
          }
        }
      }
    }
  }
}
