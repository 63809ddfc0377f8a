// MAX_POOL_2D int8 (NHWC), TFLite Micro's reference: the maximum over the window clipped to the
// input (starting from -128), then clamped. The SIMD build takes 16 channels at a time.
import { windowEnd, windowFirst } from '../pool-window';

export function max_pool2d_s8(
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
        let c = 0;
        if (ASC_FEATURE_SIMD) {
          const vMin = i8x16.splat(<i8>actMin);
          const vMax = i8x16.splat(<i8>actMax);
          for (; c + 16 <= depth; c += 16) {
            let m = i8x16.splat(-128);
            for (let fy = fy0; fy < fy1; fy++) {
              let p = inBatch + <usize>(((inY0 + fy) * inW + inX0 + fx0) * depth + c);
              for (let fx = fx0; fx < fx1; fx++) {
                m = i8x16.max_s(m, v128.load(p));
                p += <usize>depth;
              }
            }
            m = i8x16.min_s(i8x16.max_s(m, vMin), vMax);
            v128.store(out, m);
            out += 16;
          }
        }
        for (; c < depth; c++) {
          let m: i32 = -128;
          for (let fy = fy0; fy < fy1; fy++) {
            let p = inBatch + <usize>(((inY0 + fy) * inW + inX0 + fx0) * depth + c);
            for (let fx = fx0; fx < fx1; fx++) {
              const v = <i32>load<i8>(p);
              if (v > m) m = v;
              p += <usize>depth;
            }
          }
          if (m < actMin) m = actMin;
          if (m > actMax) m = actMax;
          store<i8>(out, <i8>m);
          out += 1;
        }
      }
    }
  }
}
