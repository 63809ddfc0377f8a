// AVERAGE_POOL_2D int8 (NHWC), TFLite Micro's reference: the window is clipped to the input, the sum
// is divided by the count of valid elements rounding half away from zero, then clamped. The SIMD build
// sums 16 channels at a time (contiguous loads, int32 lanes) and divides per channel as the scalar does.
import { windowEnd, windowFirst } from '../pool-window';

// The 16 window sums of a channel block, handed from the SIMD lanes to the scalar division.
const SUMS: usize = memory.data(64, 16);

// @ts-ignore: decorator
@inline
function averageClamped(acc: i32, count: i32, half: i32, actMin: i32, actMax: i32): i32 {
  // C's truncating division after a sign-aware half nudge.
  let r = acc > 0 ? (acc + half) / count : (acc - half) / count;
  if (r < actMin) r = actMin;
  if (r > actMax) r = actMax;
  return r;
}

export function avg_pool2d_s8(
  input: usize, output: usize,
  batches: i32, inH: i32, inW: i32, depth: i32, outH: i32, outW: i32,
  filterH: i32, filterW: i32, strideH: i32, strideW: i32, padH: i32, padW: i32,
  actMin: i32, actMax: i32,
): void {
  let out = output;
  for (let b = 0; b < batches; b++) {
    const inBatch = input + <usize>(b * inH * inW * depth);
    for (let oy = 0; oy < outH; oy++) {
      const inY0 = oy * strideH - padH;
      const fy0 = windowFirst(inY0), fy1 = windowEnd(inY0, filterH, inH);
      for (let ox = 0; ox < outW; ox++) {
        const inX0 = ox * strideW - padW;
        const fx0 = windowFirst(inX0), fx1 = windowEnd(inX0, filterW, inW);
        const count = (fy1 - fy0) * (fx1 - fx0);
        const half = count / 2;
        let c = 0;
        if (ASC_FEATURE_SIMD) {
          for (; c + 16 <= depth; c += 16) {
            let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
            for (let fy = fy0; fy < fy1; fy++) {
              let p = inBatch + <usize>(((inY0 + fy) * inW + inX0 + fx0) * depth + c);
              for (let fx = fx0; fx < fx1; fx++) {
                const v = v128.load(p);
                const lo = i16x8.extend_low_i8x16_s(v);
                const hi = i16x8.extend_high_i8x16_s(v);
                a0 = i32x4.add(a0, i32x4.extend_low_i16x8_s(lo));
                a1 = i32x4.add(a1, i32x4.extend_high_i16x8_s(lo));
                a2 = i32x4.add(a2, i32x4.extend_low_i16x8_s(hi));
                a3 = i32x4.add(a3, i32x4.extend_high_i16x8_s(hi));
                p += <usize>depth;
              }
            }
            v128.store(SUMS, a0);
            v128.store(SUMS + 16, a1);
            v128.store(SUMS + 32, a2);
            v128.store(SUMS + 48, a3);
            for (let k = 0; k < 16; k++) {
              store<i8>(out + <usize>k, <i8>averageClamped(load<i32>(SUMS + <usize>(k << 2)), count, half, actMin, actMax));
            }
            out += 16;
          }
        }
        for (; c < depth; c++) {
          let acc: i32 = 0;
          for (let fy = fy0; fy < fy1; fy++) {
            let p = inBatch + <usize>(((inY0 + fy) * inW + inX0 + fx0) * depth + c);
            for (let fx = fx0; fx < fx1; fx++) {
              acc += <i32>load<i8>(p);
              p += <usize>depth;
            }
          }
          store<i8>(out, <i8>averageClamped(acc, count, half, actMin, actMax));
          out += 1;
        }
      }
    }
  }
}
