// DEPTHWISE_CONV_2D int8 (TFLite Micro reference semantics): any depth multiplier and dilation.
// SIMD build, depth multiplier 1: channels are the lanes — eight channels per step, the input
// offset added in 16 bits (x + offset fits), products widened to 32 bits; taps outside the image
// are skipped as the reference does. Other depth multipliers run the reference loop in both builds.
import { multiplyByQuantizedMultiplier } from '../fixedpoint';
import { requantizeStoreX4 } from '../requantize-simd';

// @ts-ignore: decorator
@inline
function requantizeS8(acc: i32, oc: i32, bias: usize, multipliers: usize, shifts: usize, outputOffset: i32, actMin: i32, actMax: i32): i8 {
  if (bias != 0) acc += load<i32>(bias + (<usize>oc << 2));
  acc = multiplyByQuantizedMultiplier(acc, load<i32>(multipliers + (<usize>oc << 2)), load<i32>(shifts + (<usize>oc << 2)));
  return <i8>min(max(acc + outputOffset, actMin), actMax);
}

function depthwiseMultiplier1Simd(
  input: usize, filter: usize, bias: usize, multipliers: usize, shifts: usize, output: usize,
  batches: i32, inH: i32, inW: i32, channels: i32, fH: i32, fW: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, dilH: i32, dilW: i32, padH: i32, padW: i32,
  inputOffset: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  const c8 = channels & ~7;
  const c4 = channels & ~3;
  const vInOffset = i16x8.splat(<i16>inputOffset);
  const vOffset = i32x4.splat(outputOffset);
  const vMin = i32x4.splat(actMin);
  const vMax = i32x4.splat(actMax);
  const c = <usize>channels;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padH;
      // Filter rows that land inside the image.
      let ky0 = 0;
      while (ky0 < fH && iy0 + ky0 * dilH < 0) ky0++;
      let ky1 = fH;
      while (ky1 > ky0 && iy0 + (ky1 - 1) * dilH >= inH) ky1--;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * strideW - padW;
        let kx0 = 0;
        while (kx0 < fW && ix0 + kx0 * dilW < 0) kx0++;
        let kx1 = fW;
        while (kx1 > kx0 && ix0 + (kx1 - 1) * dilW >= inW) kx1--;
        const out = output + <usize>(((b * outH + oy) * outW + ox) * channels);
        let ch = 0;
        for (; ch < c8; ch += 8) {
          let lo = i32x4.splat(0);
          let hi = lo;
          for (let ky = ky0; ky < ky1; ky++) {
            const xRow = input + (<usize>((b * inH + iy0 + ky * dilH) * inW)) * c + <usize>ch;
            const wRow = filter + <usize>(ky * fW) * c + <usize>ch;
            for (let kx = kx0; kx < kx1; kx++) {
              const x = i16x8.add(v128.load8x8_s(xRow + <usize>(ix0 + kx * dilW) * c), vInOffset);
              const w = v128.load8x8_s(wRow + <usize>kx * c);
              lo = i32x4.add(lo, i32x4.extmul_low_i16x8_s(x, w));
              hi = i32x4.add(hi, i32x4.extmul_high_i16x8_s(x, w));
            }
          }
          if (bias != 0) {
            lo = i32x4.add(lo, v128.load(bias + (<usize>ch << 2)));
            hi = i32x4.add(hi, v128.load(bias + (<usize>(ch + 4) << 2)));
          }
          requantizeStoreX4(out + <usize>ch, lo, v128.load(multipliers + (<usize>ch << 2)), v128.load(shifts + (<usize>ch << 2)), vOffset, vMin, vMax);
          requantizeStoreX4(out + <usize>(ch + 4), hi, v128.load(multipliers + (<usize>(ch + 4) << 2)), v128.load(shifts + (<usize>(ch + 4) << 2)), vOffset, vMin, vMax);
        }
        for (; ch < c4; ch += 4) {
          let acc = i32x4.splat(0);
          for (let ky = ky0; ky < ky1; ky++) {
            const xRow = input + (<usize>((b * inH + iy0 + ky * dilH) * inW)) * c + <usize>ch;
            const wRow = filter + <usize>(ky * fW) * c + <usize>ch;
            for (let kx = kx0; kx < kx1; kx++) {
              const x = i32x4.add(i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(v128.load32_zero(xRow + <usize>(ix0 + kx * dilW) * c))), i32x4.splat(inputOffset));
              const w = i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(v128.load32_zero(wRow + <usize>kx * c)));
              acc = i32x4.add(acc, i32x4.mul(x, w));
            }
          }
          if (bias != 0) acc = i32x4.add(acc, v128.load(bias + (<usize>ch << 2)));
          requantizeStoreX4(out + <usize>ch, acc, v128.load(multipliers + (<usize>ch << 2)), v128.load(shifts + (<usize>ch << 2)), vOffset, vMin, vMax);
        }
        for (; ch < channels; ch++) {
          let acc: i32 = 0;
          for (let ky = ky0; ky < ky1; ky++) {
            const xRow = input + (<usize>((b * inH + iy0 + ky * dilH) * inW)) * c + <usize>ch;
            const wRow = filter + <usize>(ky * fW) * c + <usize>ch;
            for (let kx = kx0; kx < kx1; kx++) {
              acc += <i32>load<i8>(wRow + <usize>kx * c) * (<i32>load<i8>(xRow + <usize>(ix0 + kx * dilW) * c) + inputOffset);
            }
          }
          store<i8>(out + <usize>ch, requantizeS8(acc, ch, bias, multipliers, shifts, outputOffset, actMin, actMax));
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
