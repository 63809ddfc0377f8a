// ADD int8 by lookup: output[i] = table[u8(input1[i]) | u8(input2[i]) << 8]. A host kernel: the runtime calls it
// in place of add_s8 (no compiler layout, no C twin). The host runtime fills the
// 65,536-entry table once, at load, with `add_s8` itself over every pair of int8 inputs — so the bytes are
// add_s8's by construction — and calls this instead for long tensors: one load per element instead of three
// requantizations. Element-wise only (works in place); no SIMD gather exists, so it is scalar in every build.

export function add_table_s8(input1: usize, input2: usize, output: usize, size: i32, table: usize): void {
  let i = 0;
  // Four elements per step: the loads of one group overlap the table reads of the last.
  for (; i + 4 <= size; i += 4) {
    const x = load<u32>(input1 + <usize>i);
    const y = load<u32>(input2 + <usize>i);
    const o0 = load<u8>(table + <usize>((x & 0xff) | ((y & 0xff) << 8)));
    const o1 = load<u8>(table + <usize>(((x >> 8) & 0xff) | (y & 0xff00)));
    const o2 = load<u8>(table + <usize>(((x >> 16) & 0xff) | ((y >> 8) & 0xff00)));
    const o3 = load<u8>(table + <usize>((x >> 24) | ((y >> 16) & 0xff00)));
    store<u32>(output + <usize>i, <u32>o0 | (<u32>o1 << 8) | (<u32>o2 << 16) | (<u32>o3 << 24));
  }
  for (; i < size; i++) {
    store<u8>(output + <usize>i, load<u8>(table + <usize>(<u32>load<u8>(input1 + <usize>i) | (<u32>load<u8>(input2 + <usize>i) << 8))));
  }
}
