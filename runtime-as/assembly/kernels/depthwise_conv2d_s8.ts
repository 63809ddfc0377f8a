// DEPTHWISE_CONV_2D int8 (TFLite Micro reference semantics): any depth multiplier and dilation.
// SIMD build, depth multiplier 1: channels are the lanes — blocks of eight channels, each over all
// pixels with its requantization factors in registers; the input offset added in 16 bits (x + offset
// fits), products widened to 32 bits; taps outside the image are skipped as the reference does.
// Other depth multipliers run the reference loop in both builds.
import { multiplyByQuantizedMultiplier } from '../fixedpoint';
import {
  clampStoreX4, clampStoreX4Pair, requantFactorLeft, requantFactorMask, requantFactorPow, requantFactorThreshold,
  requantizeX4Int,
} from '../requantize-simd';

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

/**
 * Depth multiplier 1, channels [ch, ch + 8) (lanes = 8) or [ch, ch + 4) (lanes = 4) over every output
 * pixel: the block's bias and requantization factors are set up once, then stay in registers.
 */
// @ts-ignore: decorator
@inline
function depthwiseBlockSimd(
  lanes: i32, ch: i32,
  input: usize, filter: usize, bias: usize, multipliers: usize, shifts: usize, output: usize,
  batches: i32, inH: i32, inW: i32, channels: i32, fH: i32, fW: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, dilH: i32, dilW: i32, padH: i32, padW: i32,
  inputOffset: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  const c = <usize>channels;
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
  const left0 = requantFactorLeft(sh0), pow0 = requantFactorPow(sh0), mask0 = requantFactorMask(sh0);
  const thr0 = requantFactorThreshold(mask0);
  let b1 = zero, m1 = zero, left1 = zero, pow1 = zero, mask1 = zero, thr1 = zero;
  if (lanes == 8) {
    b1 = bias != 0 ? v128.load(bias + (<usize>(ch + 4) << 2)) : zero;
    m1 = v128.load(multipliers + (<usize>(ch + 4) << 2));
    const sh1 = v128.load(shifts + (<usize>(ch + 4) << 2));
    left1 = requantFactorLeft(sh1); pow1 = requantFactorPow(sh1); mask1 = requantFactorMask(sh1);
    thr1 = requantFactorThreshold(mask1);
  }
  const wBase = filter + <usize>ch;
  for (let b = 0; b < batches; b++) {
    const inBase = input + <usize>(b * inH) * <usize>inW * c + <usize>ch;
    let out = output + <usize>(b * outH) * <usize>outW * c + <usize>ch;
    const rowStep = <usize>strideH * <usize>inW * c;
    const outRow = <usize>outW * c;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padH;
      if (lanes == 8 && oy + 1 < outH && iy0 >= 0 && iy0 + strideH + (fH - 1) * dilH < inH) {
        // Two output rows at once where both see every filter row: each weight load serves two pixels.
        for (let ox = 0; ox < outW; ox++) {
          const ix0 = ox * strideW - padW;
          const kx0 = firstTap(ix0, dilW, fW);
          const kx1 = endTap(ix0, dilW, fW, inW);
          let loA = b0, hiA = b1, loB = b0, hiB = b1;
          for (let ky = 0; ky < fH; ky++) {
            const xRow = inBase + (<usize>((iy0 + ky * dilH) * inW + ix0)) * c;
            const wRow = wBase + <usize>(ky * fW) * c;
            for (let kx = kx0; kx < kx1; kx++) {
              const xp = xRow + <usize>(kx * dilW) * c;
              const w = v128.load8x8_s(wRow + <usize>kx * c);
              const xa = i16x8.add(v128.load8x8_s(xp), vInOffset);
              const xb = i16x8.add(v128.load8x8_s(xp + rowStep), vInOffset);
              loA = i32x4.add(loA, i32x4.extmul_low_i16x8_s(xa, w));
              hiA = i32x4.add(hiA, i32x4.extmul_high_i16x8_s(xa, w));
              loB = i32x4.add(loB, i32x4.extmul_low_i16x8_s(xb, w));
              hiB = i32x4.add(hiB, i32x4.extmul_high_i16x8_s(xb, w));
            }
          }
          clampStoreX4Pair(out, out + 4, requantizeX4Int(loA, m0, left0, pow0, mask0, thr0),
            requantizeX4Int(hiA, m1, left1, pow1, mask1, thr1), vOffset, vMin16, vMax16);
          clampStoreX4Pair(out + outRow, out + outRow + 4, requantizeX4Int(loB, m0, left0, pow0, mask0, thr0),
            requantizeX4Int(hiB, m1, left1, pow1, mask1, thr1), vOffset, vMin16, vMax16);
          out += c;
        }
        out += outRow;
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
          const xRow = inBase + (<usize>((iy0 + ky * dilH) * inW + ix0)) * c;
          const wRow = wBase + <usize>(ky * fW) * c;
          let kx = kx0;
          if (lanes == 8) {
            // Three taps per step (3×3 filters, the common case) to cut loop overhead.
            const xStep = <usize>dilW * c;
            for (; kx + 3 <= kx1; kx += 3) {
              const xp = xRow + <usize>(kx * dilW) * c;
              const wp = wRow + <usize>kx * c;
              let x = i16x8.add(v128.load8x8_s(xp), vInOffset);
              let w = v128.load8x8_s(wp);
              lo = i32x4.add(lo, i32x4.extmul_low_i16x8_s(x, w));
              hi = i32x4.add(hi, i32x4.extmul_high_i16x8_s(x, w));
              x = i16x8.add(v128.load8x8_s(xp + xStep), vInOffset);
              w = v128.load8x8_s(wp + c);
              lo = i32x4.add(lo, i32x4.extmul_low_i16x8_s(x, w));
              hi = i32x4.add(hi, i32x4.extmul_high_i16x8_s(x, w));
              x = i16x8.add(v128.load8x8_s(xp + 2 * xStep), vInOffset);
              w = v128.load8x8_s(wp + 2 * c);
              lo = i32x4.add(lo, i32x4.extmul_low_i16x8_s(x, w));
              hi = i32x4.add(hi, i32x4.extmul_high_i16x8_s(x, w));
            }
          }
          for (; kx < kx1; kx++) {
            if (lanes == 8) {
              // x + offset fits in 16 bits; the products widen to 32.
              const x = i16x8.add(v128.load8x8_s(xRow + <usize>(kx * dilW) * c), vInOffset);
              const w = v128.load8x8_s(wRow + <usize>kx * c);
              lo = i32x4.add(lo, i32x4.extmul_low_i16x8_s(x, w));
              hi = i32x4.add(hi, i32x4.extmul_high_i16x8_s(x, w));
            } else {
              const x = i32x4.add(i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(v128.load32_zero(xRow + <usize>(kx * dilW) * c))), vInOffset32);
              const w = i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(v128.load32_zero(wRow + <usize>kx * c)));
              lo = i32x4.add(lo, i32x4.mul(x, w));
            }
          }
        }
        if (lanes == 8) {
          clampStoreX4Pair(out, out + 4, requantizeX4Int(lo, m0, left0, pow0, mask0, thr0),
            requantizeX4Int(hi, m1, left1, pow1, mask1, thr1), vOffset, vMin16, vMax16);
        } else {
          clampStoreX4(out, requantizeX4Int(lo, m0, left0, pow0, mask0, thr0), vOffset, vMin, vMax);
        }
        out += c;
      }
    }
  }
}

function depthwiseMultiplier1Simd(
  input: usize, filter: usize, bias: usize, multipliers: usize, shifts: usize, output: usize,
  batches: i32, inH: i32, inW: i32, channels: i32, fH: i32, fW: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, dilH: i32, dilW: i32, padH: i32, padW: i32,
  inputOffset: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  let ch = 0;
  for (; ch + 8 <= channels; ch += 8) {
    depthwiseBlockSimd(8, ch, input, filter, bias, multipliers, shifts, output, batches, inH, inW, channels, fH, fW, outH, outW,
      strideH, strideW, dilH, dilW, padH, padW, inputOffset, outputOffset, actMin, actMax);
  }
  if (ch + 4 <= channels) {
    depthwiseBlockSimd(4, ch, input, filter, bias, multipliers, shifts, output, batches, inH, inW, channels, fH, fW, outH, outW,
      strideH, strideW, dilH, dilW, padH, padW, inputOffset, outputOffset, actMin, actMax);
    ch += 4;
  }
  const c = <usize>channels;
  for (; ch < channels; ch++) {
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
            const xRow = input + (<usize>((b * inH + iy0 + ky * dilH) * inW + ix0)) * c + <usize>ch;
            const wRow = filter + <usize>(ky * fW) * c + <usize>ch;
            for (let kx = kx0; kx < kx1; kx++) {
              acc += <i32>load<i8>(wRow + <usize>kx * c) * (<i32>load<i8>(xRow + <usize>(kx * dilW) * c) + inputOffset);
            }
          }
          const out = output + <usize>(((b * outH + oy) * outW + ox) * channels + ch);
          store<i8>(out, requantizeS8(acc, ch, bias, multipliers, shifts, outputOffset, actMin, actMax));
        }
      }
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
    if (depthMultiplier == 1) {
      depthwiseMultiplier1Simd(input, filter, bias, multipliers, shifts, output, batches, inH, inW, inC, fH, fW, outH, outW,
        strideH, strideW, dilH, dilW, padH, padW, inputOffset, outputOffset, actMin, actMax);
      return;
    }
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
