// AVERAGE_POOL_2D int8 (NHWC), TFLite Micro's reference: the window is clipped to the input, the sum
// is divided by the count of valid elements rounding half away from zero, then clamped.

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
      const fy0 = max(0, -inY0);
      const fy1 = min(filterH, inH - inY0);
      for (let ox = 0; ox < outW; ox++) {
        const inX0 = ox * strideW - padW;
        const fx0 = max(0, -inX0);
        const fx1 = min(filterW, inW - inX0);
        const count = (fy1 - fy0) * (fx1 - fx0);
        const half = count / 2;
        for (let c = 0; c < depth; c++) {
          let acc: i32 = 0;
          for (let fy = fy0; fy < fy1; fy++) {
            let p = inBatch + <usize>(((inY0 + fy) * inW + inX0 + fx0) * depth + c);
            for (let fx = fx0; fx < fx1; fx++) {
              acc += <i32>load<i8>(p);
              p += <usize>depth;
            }
          }
          // C's truncating division after a sign-aware half nudge.
          acc = acc > 0 ? (acc + half) / count : (acc - half) / count;
          if (acc < actMin) acc = actMin;
          if (acc > actMax) acc = actMax;
          store<i8>(out, <i8>acc);
          out += 1;
        }
      }
    }
  }
}
