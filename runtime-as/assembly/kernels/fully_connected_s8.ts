// FULLY_CONNECTED int8 (TFLite Micro reference semantics): batches × input_depth times the weights
// [output_depth, input_depth]ᵀ. The SIMD build shares the conv 1×1 matrix-product core.
import { multiplyByQuantizedMultiplier } from '../fixedpoint';
import { matmulS8Row1, matmulS8Rows2 } from '../matmul-s8';

export function fully_connected_s8(
  input: usize, filter: usize, bias: usize, foldedBias: usize, multipliers: usize, shifts: usize, output: usize,
  batches: i32, inDepth: i32, outDepth: i32, inputOffset: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  if (ASC_FEATURE_SIMD) {
    const inStride = <usize>inDepth;
    const outStride = <usize>outDepth;
    let b = 0;
    for (; b + 2 <= batches; b += 2) {
      const a0 = input + <usize>b * inStride;
      const o0 = output + <usize>b * outStride;
      matmulS8Rows2(a0, a0 + inStride, filter, inDepth, outDepth, foldedBias, multipliers, shifts, o0, o0 + outStride, outputOffset, actMin, actMax);
    }
    if (b < batches) {
      matmulS8Row1(input + <usize>b * inStride, filter, inDepth, outDepth, foldedBias, multipliers, shifts, output + <usize>b * outStride, outputOffset, actMin, actMax);
    }
  } else {
    for (let b = 0; b < batches; b++) {
      const x = input + <usize>(b * inDepth);
      const out = output + <usize>(b * outDepth);
      for (let oc = 0; oc < outDepth; oc++) {
        const w = filter + <usize>(oc * inDepth);
        let acc: i32 = 0;
        for (let i = 0; i < inDepth; i++) {
          acc += <i32>load<i8>(w + <usize>i) * (<i32>load<i8>(x + <usize>i) + inputOffset);
        }
        if (bias != 0) acc += load<i32>(bias + (<usize>oc << 2));
        acc = multiplyByQuantizedMultiplier(acc, load<i32>(multipliers + (<usize>oc << 2)), load<i32>(shifts + (<usize>oc << 2)));
        acc = min(max(acc + outputOffset, actMin), actMax);
        store<i8>(out + <usize>oc, <i8>acc);
      }
    }
  }
}
