// DEQUANTIZE int8 → float32, TFLite Micro's reference: (q - zp) · scale. TFLite multiplies in double
// and narrows; the exact product rounded once equals the float32 product computed here.

export function dequantize_s8_f32(input: usize, output: usize, size: i32, zeroPoint: i32, scaleBits: i32): void {
  const scale = reinterpret<f32>(scaleBits);
  // Backwards, so an output that starts where the input starts is never overwritten before it is read.
  for (let i = size - 1; i >= 0; i--) {
    store<f32>(output + <usize>(i << 2), <f32>(<i32>load<i8>(input + <usize>i) - zeroPoint) * scale);
  }
}
