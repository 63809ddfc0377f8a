// FULLY_CONNECTED int8 (TFLite Micro reference semantics): batches × input_depth times the weights
// [output_depth, input_depth]ᵀ. The SIMD build shares the conv 1×1 matrix-product core.
import { multiplyByQuantizedMultiplier } from '../fixedpoint';
import { matmulS8 } from '../matmul-s8';

export function fully_connected_s8(
  input: usize, filter: usize, bias: usize, foldedBias: usize, multipliers: usize, shifts: usize, output: usize,
  batches: i32, inDepth: i32, outDepth: i32, inputOffset: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  if (ASC_FEATURE_SIMD) {
    matmulS8(input, batches, filter, inDepth, outDepth, foldedBias, multipliers, shifts, output, outputOffset, actMin, actMax);
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
