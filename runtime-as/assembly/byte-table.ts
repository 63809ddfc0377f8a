// A 256-entry int8 → int8 table in static memory. Unary int8 kernels whose per-element math is
// expensive (logistic, tanh, hard swish, requantization) fill it once per call for long tensors and
// then map bytes through it: the same results, one load per element.

export const BYTE_TABLE: usize = memory.data(256, 16);

/** Tensors longer than this are mapped through the table (filling it costs 256 evaluations). */
export const BYTE_TABLE_MIN_SIZE: i32 = 512;

/** Map `size` bytes from input to output through BYTE_TABLE (indexed by the input byte + 128). Works in place. */
export function mapThroughByteTable(input: usize, output: usize, size: i32): void {
  for (let i = 0; i < size; i++) {
    store<i8>(output + <usize>i, load<i8>(BYTE_TABLE + <usize>(<i32>load<i8>(input + <usize>i) + 128)));
  }
}
