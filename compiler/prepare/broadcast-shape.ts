// NumPy-style broadcasting of two inputs to an output, as TFLite's 6-D slow broadcast kernels walk
// it: 6 output dims (leading 1s) and, per input, the element stride of each dim (0 where broadcast).

export const BROADCAST_RANK = 6;

export interface BroadcastShape {
  outDims: number[];
  strides1: number[];
  strides2: number[];
}

function extend(shape: readonly number[]): number[] {
  return [...Array(BROADCAST_RANK - shape.length).fill(1), ...shape];
}

function strides(dims: readonly number[], outDims: readonly number[]): number[] {
  const s = new Array<number>(BROADCAST_RANK).fill(0);
  let step = 1;
  for (let i = BROADCAST_RANK - 1; i >= 0; i--) {
    s[i] = dims[i] === 1 && outDims[i] !== 1 ? 0 : step;
    step *= dims[i];
  }
  return s;
}

/** The broadcast walk, or a description of why the shapes do not broadcast. */
export function broadcastShape(shape1: readonly number[], shape2: readonly number[], outShape: readonly number[]): BroadcastShape | string {
  if (Math.max(shape1.length, shape2.length, outShape.length) > BROADCAST_RANK) {
    return `more than ${BROADCAST_RANK} dimensions`;
  }
  const a = extend(shape1);
  const b = extend(shape2);
  const o = extend(outShape);
  for (let i = 0; i < BROADCAST_RANK; i++) {
    const want = Math.max(a[i], b[i]);
    if ((a[i] !== 1 && a[i] !== want) || (b[i] !== 1 && b[i] !== want) || o[i] !== want) {
      return `[${shape1}] and [${shape2}] do not broadcast to [${outShape}]`;
    }
  }
  return { outDims: o, strides1: strides(a, o), strides2: strides(b, o) };
}

/** The walk as the kernels' `shape` argument: 6 dims, then input 1's strides, then input 2's. */
export function broadcastShapeWords(b: BroadcastShape): number[] {
  return [...b.outDims, ...b.strides1, ...b.strides2];
}
