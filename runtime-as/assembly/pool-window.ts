// A pooling window along one axis, clipped to the input as TFLite Micro's reference does: the window
// whose tap 0 lands on input index `origin` (o·stride - pad, negative inside the padding) keeps the taps
// [windowFirst, windowEnd) that land inside the input.

/** The first tap of the window inside the input. */
// @ts-ignore: decorator
@inline
export function windowFirst(origin: i32): i32 {
  return max(0, -origin);
}

/** One past the last tap of the window inside an input of `inSize` elements. */
// @ts-ignore: decorator
@inline
export function windowEnd(origin: i32, filter: i32, inSize: i32): i32 {
  return min(filter, inSize - origin);
}
