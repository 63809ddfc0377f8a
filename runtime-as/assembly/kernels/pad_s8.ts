// PAD int8 (up to 5-D): the input copied into the output at the leading paddings, the rest filled
// with the output zero point. `shape` holds 5 input dims, 5 leading paddings, 5 output dims.

export function pad_s8(input: usize, output: usize, shape: usize, padValue: i32): void {
  const i0 = load<i32>(shape, 0), i1 = load<i32>(shape, 4), i2 = load<i32>(shape, 8), i3 = load<i32>(shape, 12), i4 = load<i32>(shape, 16);
  const p0 = load<i32>(shape, 20), p1 = load<i32>(shape, 24), p2 = load<i32>(shape, 28), p3 = load<i32>(shape, 32), p4 = load<i32>(shape, 36);
  const o0 = load<i32>(shape, 40), o1 = load<i32>(shape, 44), o2 = load<i32>(shape, 48), o3 = load<i32>(shape, 52), o4 = load<i32>(shape, 56);
  const fill = <u8>padValue;
  const after4 = o4 - p4 - i4;
  let out = output;
  let src = input;
  for (let a = 0; a < o0; a++) {
    const inA = a >= p0 && a < p0 + i0;
    for (let b = 0; b < o1; b++) {
      const inB = inA && b >= p1 && b < p1 + i1;
      for (let c = 0; c < o2; c++) {
        const inC = inB && c >= p2 && c < p2 + i2;
        for (let d = 0; d < o3; d++) {
          const inD = inC && d >= p3 && d < p3 + i3;
          if (inD) {
            // Input rows are visited in order, so the source pointer just advances.
            memory.fill(out, fill, <usize>p4);
            memory.copy(out + <usize>p4, src, <usize>i4);
            memory.fill(out + <usize>(p4 + i4), fill, <usize>after4);
            src += <usize>i4;
          } else {
            memory.fill(out, fill, <usize>o4);
          }
          out += <usize>o4;
        }
      }
    }
  }
}
