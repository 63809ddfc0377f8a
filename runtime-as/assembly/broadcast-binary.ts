// The broadcast forms of the int8 binary ops (ADD, MUL): `shape` holds 6 output dims then each input's
// 6 element strides (0 = broadcast along that dim). One walk over the output, the op chosen per call site
// at compile time (the argument is a constant, so only that op's arithmetic remains).
import { addOne } from './add-one';
import { mulOne } from './mul-one';

export const enum BinaryOp { Add, Mul }

/** ADD uses every scalar; MUL ignores leftShift and the input multipliers and shifts. */
// @ts-ignore: decorator
@inline
export function broadcastBinary(
  op: BinaryOp, input1: usize, input2: usize, output: usize, shape: usize,
  input1Offset: i32, input2Offset: i32, leftShift: i32,
  input1Multiplier: i32, input1Shift: i32, input2Multiplier: i32, input2Shift: i32,
  outputMultiplier: i32, outputShift: i32, outputOffset: i32, actMin: i32, actMax: i32,
): void {
  const d0 = load<i32>(shape, 0), d1 = load<i32>(shape, 4), d2 = load<i32>(shape, 8);
  const d3 = load<i32>(shape, 12), d4 = load<i32>(shape, 16), d5 = load<i32>(shape, 20);
  const a0 = load<i32>(shape, 24), a1 = load<i32>(shape, 28), a2 = load<i32>(shape, 32);
  const a3 = load<i32>(shape, 36), a4 = load<i32>(shape, 40), a5 = load<i32>(shape, 44);
  const b0 = load<i32>(shape, 48), b1 = load<i32>(shape, 52), b2 = load<i32>(shape, 56);
  const b3 = load<i32>(shape, 60), b4 = load<i32>(shape, 64), b5 = load<i32>(shape, 68);
  let out = output;
  for (let i0 = 0; i0 < d0; i0++) for (let i1 = 0; i1 < d1; i1++) for (let i2 = 0; i2 < d2; i2++)
  for (let i3 = 0; i3 < d3; i3++) for (let i4 = 0; i4 < d4; i4++) {
    const p = input1 + <usize>(i0 * a0 + i1 * a1 + i2 * a2 + i3 * a3 + i4 * a4);
    const q = input2 + <usize>(i0 * b0 + i1 * b1 + i2 * b2 + i3 * b3 + i4 * b4);
    for (let i5 = 0; i5 < d5; i5++) {
      const x = <i32>load<i8>(p + <usize>(i5 * a5)), y = <i32>load<i8>(q + <usize>(i5 * b5));
      const o = op == BinaryOp.Add
        ? addOne(x, y, input1Offset, input2Offset, leftShift, input1Multiplier, input1Shift, input2Multiplier, input2Shift,
          outputMultiplier, outputShift, outputOffset, actMin, actMax)
        : mulOne(x, y, input1Offset, input2Offset, outputMultiplier, outputShift, outputOffset, actMin, actMax);
      store<i8>(out, <i8>o);
      out += 1;
    }
  }
}
