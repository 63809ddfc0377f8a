// What CONV_2D and DEPTHWISE_CONV_2D prepare share: NHWC shapes, and the sliding window's
// strides, dilations and padding checked against the output size the model claims.
import type { Graph, Op } from '../../formats/ir/graph.ts';
import type { Conv2DAttrs } from '../../formats/ir/op-types.ts';
import { computePadding, type Padding2D } from './padding.ts';
import { opLabel, PrepareError } from './prepare-error.ts';

/** The tensor's four NHWC dimensions, refused for any other rank. */
export function nhwcDims(graph: Graph, op: Op, id: number, role: string): [number, number, number, number] {
  const s = graph.tensors[id].shape;
  if (s.length !== 4) {
    throw new PrepareError(`${opLabel(op)}: ${role} has shape [${s.join(', ')}]; ${op.type} needs 4 dimensions (NHWC)`);
  }
  return [s[0], s[1], s[2], s[3]];
}

/** TFLite's padding for the window, after refusing non-positive strides/dilations and an output size that does not follow. */
export function convWindowPadding(
  op: Op,
  a: Conv2DAttrs,
  input: { inH: number; inW: number },
  filter: { filterH: number; filterW: number },
  output: { outH: number; outW: number },
): Padding2D {
  const { inH, inW } = input;
  const { filterH, filterW } = filter;
  const { outH, outW } = output;
  for (const [k, v] of [['strideH', a.strideH], ['strideW', a.strideW], ['dilationH', a.dilationH], ['dilationW', a.dilationW]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new PrepareError(`${opLabel(op)}: ${k} is ${v}; it must be a positive integer`);
  }
  const pad = computePadding({
    padding: a.padding, inH, inW, filterH, filterW,
    strideH: a.strideH, strideW: a.strideW, dilationH: a.dilationH, dilationW: a.dilationW,
  });
  if (pad.outH !== outH || pad.outW !== outW) {
    throw new PrepareError(`${opLabel(op)}: output is ${outH}×${outW} but ${a.padding} padding of a ${inH}×${inW} input with a ${filterH}×${filterW} filter ` +
      `(stride ${a.strideH}×${a.strideW}, dilation ${a.dilationH}×${a.dilationW}) gives ${pad.outH}×${pad.outW}`);
  }
  return pad;
}
