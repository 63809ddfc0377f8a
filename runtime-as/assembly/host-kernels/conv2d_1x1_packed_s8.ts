// CONV_2D 1×1 (stride 1, no padding) over weights the host runtime packed at load (runtime-as/host/packed-weights.ts):
// interleaved by 4-channel block, so that one pointer walks each block's weights. A host kernel: the SIMD runtime calls it in place of conv2d_1x1_s8, with conv2d_1x1_s8's arguments
// and then `packed`; same bytes. (The scalar build has no packed path: it runs conv2d_1x1_s8.)
import { conv2d_1x1_s8 } from '../kernels/conv2d_1x1_s8';
import { matmulPackedS8 } from '../matmul-s8';

export function conv2d_1x1_packed_s8(
  input: usize, filter: usize, bias: usize, foldedBias: usize, multipliers: usize, shifts: usize, output: usize,
  pixels: i32, inC: i32, outC: i32, inputOffset: i32, outputOffset: i32, actMin: i32, actMax: i32, packed: usize,
): void {
  if (ASC_FEATURE_SIMD) {
    matmulPackedS8(input, pixels, filter, packed, inC, outC, foldedBias, multipliers, shifts, output, outputOffset, actMin, actMax);
  } else {
    conv2d_1x1_s8(input, filter, bias, foldedBias, multipliers, shifts, output, pixels, inC, outC, inputOffset, outputOffset, actMin, actMax);
  }
}
