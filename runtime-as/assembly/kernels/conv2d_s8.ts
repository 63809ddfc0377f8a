// CONV_2D int8 (TFLite Micro reference semantics; per-channel requantization).
// Scalar build: the reference loop. SIMD build: gather two output pixels' receptive fields into
// scratch (padding reads as the input zero point, which the folded bias cancels), then the
// 2-row × 4-channel SIMD matrix product.
import { multiplyByQuantizedMultiplier } from '../fixedpoint';
import { matmulS8Row1, matmulS8Rows2 } from '../matmul-s8';

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
      memory.fill(dst, <u8>padValue, c * <usize>fW);
      dst += c * <usize>fW;
      continue;
    }
    const rowBase = input + (<usize>(b * inH + iy) * <usize>inW) * c;
    if (dilW == 1 && ix0 >= 0 && ix0 + fW <= inW) {
      // The whole filter row is inside the image and contiguous.
      memory.copy(dst, rowBase + <usize>ix0 * c, c * <usize>fW);
      dst += c * <usize>fW;
      continue;
    }
    for (let kx = 0; kx < fW; kx++) {
      const ix = ix0 + kx * dilW;
      if (ix < 0 || ix >= inW) memory.fill(dst, <u8>padValue, c);
      else memory.copy(dst, rowBase + <usize>ix * c, c);
      dst += c;
    }
  }
}

export function conv2d_s8(
  input: usize, filter: usize, bias: usize, foldedBias: usize, multipliers: usize, shifts: usize, output: usize, scratch: usize,
  batches: i32, inH: i32, inW: i32, inC: i32, fH: i32, fW: i32, outH: i32, outW: i32, outC: i32,
  strideH: i32, strideW: i32, dilH: i32, dilW: i32, padH: i32, padW: i32,
  inputOffset: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  if (ASC_FEATURE_SIMD) {
    const k = fH * fW * inC;
    const row0 = scratch;
    const row1 = scratch + <usize>((k + 15) & ~15);
    const pixels = outH * outW;
    for (let b = 0; b < batches; b++) {
      const outBase = output + <usize>(b * pixels) * <usize>outC;
      let p = 0;
      for (; p + 2 <= pixels; p += 2) {
        gatherRow(row0, input, b, p / outW, p % outW, inH, inW, inC, fH, fW, strideH, strideW, dilH, dilW, padH, padW, -inputOffset);
        gatherRow(row1, input, b, (p + 1) / outW, (p + 1) % outW, inH, inW, inC, fH, fW, strideH, strideW, dilH, dilW, padH, padW, -inputOffset);
        const o0 = outBase + <usize>p * <usize>outC;
        matmulS8Rows2(row0, row1, filter, k, outC, foldedBias, multipliers, shifts, o0, o0 + <usize>outC, outputOffset, actMin, actMax);
      }
      if (p < pixels) {
        gatherRow(row0, input, b, p / outW, p % outW, inH, inW, inC, fH, fW, strideH, strideW, dilH, dilW, padH, padW, -inputOffset);
        matmulS8Row1(row0, filter, k, outC, foldedBias, multipliers, shifts, outBase + <usize>p * <usize>outC, outputOffset, actMin, actMax);
      }
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
