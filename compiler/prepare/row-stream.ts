// What a sliding-window kernel promises the arena planner: it produces output rows in order, and writes
// each output row only after reading the input rows that row needs (an im2col gather reads a batch of
// pixels, then writes them). Every build of the kernel must keep the promise: WASM scalar and SIMD, and C
// (whose 3×3 depthwise block path walks channels outermost and so does not: prepare leaves it out).
import type { Graph } from '../../formats/ir/graph.ts';

export interface RowStream {
  /** The activation read (batch 1, NHWC) and the one written. */
  input: number;
  output: number;
  inRowBytes: number;
  outRowBytes: number;
  outRows: number;
  strideH: number;
  /** Input rows above the image the window starts at (TFLite's pad_h). */
  padTop: number;
}

export function rowStream(
  graph: Graph,
  io: { input: number; output: number },
  window: { strideH: number; padTop: number },
): RowStream | undefined {
  const [n, , inW, inC] = graph.tensors[io.input].shape;
  const [outN, outH, outW, outC] = graph.tensors[io.output].shape;
  if (n !== 1 || outN !== 1) return undefined;
  return {
    ...io, inRowBytes: inW * inC, outRowBytes: outW * outC, outRows: outH, strideH: window.strideH, padTop: window.padTop,
  };
}
