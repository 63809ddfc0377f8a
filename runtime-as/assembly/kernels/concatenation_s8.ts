// CONCATENATION int8: one call per input copies its blocks into the output at its offset along the
// axis (TFLite Micro copies bytes; inputs keep their quantization). `outer` = product of dims before
// the axis; each block is the input's bytes from the axis on.

export function concatenation_s8(
  input: usize, output: usize,
  outer: i32, inputBlock: i32, outputBlock: i32, outputOffset: i32,
): void {
  for (let o = 0; o < outer; o++) {
    memory.copy(output + <usize>(o * outputBlock + outputOffset), input + <usize>(o * inputBlock), <usize>inputBlock);
  }
}
