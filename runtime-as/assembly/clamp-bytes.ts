// Clamping int8 bytes to [lower, upper], shared by RELU (equal quantization) and RELU6.
// Works in place; the SIMD build clamps 16 bytes at a time.

export function clampBytes(input: usize, output: usize, size: i32, lower: i32, upper: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lo = i8x16.splat(<i8>lower);
    const hi = i8x16.splat(<i8>upper);
    for (; i + 16 <= size; i += 16) {
      v128.store(output + <usize>i, i8x16.min_s(i8x16.max_s(v128.load(input + <usize>i), lo), hi));
    }
  }
  for (; i < size; i++) {
    let v = <i32>load<i8>(input + <usize>i);
    if (v < lower) v = lower;
    if (v > upper) v = upper;
    store<i8>(output + <usize>i, <i8>v);
  }
}
