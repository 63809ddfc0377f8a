// CONV_2D int8 over weights the host runtime packed at load (runtime-as/host/packed-weights.ts): interleaved by
// 4-channel block, so that one pointer walks each block's weights. A host kernel: the SIMD runtime calls it in place
// of conv2d_s8, with conv2d_s8's arguments and then `packed`; same bytes. (The scalar build has no packed path.)
import { conv2dBodyS8 } from '../conv2d-s8-body';

export function conv2d_packed_s8(
  input: usize, filter: usize, bias: usize, foldedBias: usize, multipliers: usize, shifts: usize, output: usize, scratch: usize,
  batches: i32, inH: i32, inW: i32, inC: i32, fH: i32, fW: i32, outH: i32, outW: i32, outC: i32,
  strideH: i32, strideW: i32, dilH: i32, dilW: i32, padH: i32, padW: i32,
  inputOffset: i32, outputOffset: i32, actMin: i32, actMax: i32, gatherRows: i32, packed: usize,
): void {
  conv2dBodyS8(input, filter, ASC_FEATURE_SIMD ? packed : 0, bias, foldedBias, multipliers, shifts, output, scratch, batches, inH, inW, inC,
    fH, fW, outH, outW, outC, strideH, strideW, dilH, dilW, padH, padW, inputOffset, outputOffset, actMin, actMax, gatherRows);
}
