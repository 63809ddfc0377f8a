// TFLite's output size and padding for SAME/VALID windows (ComputePaddingHeightWidth), per axis.
import type { Padding } from '../../formats/ir/op-types.ts';

export interface AxisPadding {
  /** Output length along the axis. */
  outSize: number;
  /** Padding before the first element (the kernel's `pad`). */
  before: number;
  /** 1 when the total padding is odd (the extra element goes after). */
  offset: number;
}

export function computeAxisPadding(padding: Padding, inSize: number, filterSize: number, stride: number, dilation = 1): AxisPadding {
  const effectiveFilter = (filterSize - 1) * dilation + 1;
  const outSize = padding === 'SAME'
    ? Math.floor((inSize + stride - 1) / stride)
    : Math.floor((inSize + stride - effectiveFilter) / stride);
  const total = Math.max(0, (outSize - 1) * stride + effectiveFilter - inSize);
  return { outSize, before: Math.floor(total / 2), offset: total % 2 };
}

export interface Padding2D {
  outH: number;
  outW: number;
  padH: number;
  padW: number;
  padHOffset: number;
  padWOffset: number;
}

export function computePadding(p: {
  padding: Padding;
  inH: number;
  inW: number;
  filterH: number;
  filterW: number;
  strideH: number;
  strideW: number;
  dilationH?: number;
  dilationW?: number;
}): Padding2D {
  const h = computeAxisPadding(p.padding, p.inH, p.filterH, p.strideH, p.dilationH ?? 1);
  const w = computeAxisPadding(p.padding, p.inW, p.filterW, p.strideW, p.dilationW ?? 1);
  return { outH: h.outSize, outW: w.outSize, padH: h.before, padW: w.before, padHOffset: h.offset, padWOffset: w.offset };
}
