// CONV_2D int8 with a 1×1 filter, stride 1 and no padding: every pixel is one row of a matrix
// product (pixels × input_c) · (input_c × output_c)ᵀ, read straight from the input.
import { multiplyByQuantizedMultiplier } from '../fixedpoint';
import { matmulS8 } from '../matmul-s8';

export function conv2d_1x1_s8(
  input: usize, filter: usize, bias: usize, foldedBias: usize, multipliers: usize, shifts: usize, output: usize,
  pixels: i32, inC: i32, outC: i32, inputOffset: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  if (ASC_FEATURE_SIMD) {
    matmulS8(input, pixels, filter, inC, outC, foldedBias, multipliers, shifts, output, outputOffset, actMin, actMax);
  } else {
    for (let p = 0; p < pixels; p++) {
      const x = input + <usize>(p * inC);
      const out = output + <usize>(p * outC);
      for (let oc = 0; oc < outC; oc++) {
        const w = filter + <usize>(oc * inC);
        let acc: i32 = 0;
        for (let ic = 0; ic < inC; ic++) {
          acc += <i32>load<i8>(w + <usize>ic) * (<i32>load<i8>(x + <usize>ic) + inputOffset);
        }
        if (bias != 0) acc += load<i32>(bias + (<usize>oc << 2));
        acc = multiplyByQuantizedMultiplier(acc, load<i32>(multipliers + (<usize>oc << 2)), load<i32>(shifts + (<usize>oc << 2)));
        acc = min(max(acc + outputOffset, actMin), actMax);
        store<i8>(out + <usize>oc, <i8>acc);
      }
    }
  }
}
