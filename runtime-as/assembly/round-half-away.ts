// C's roundf: halves away from zero (WebAssembly's nearest rounds them to even).

// @ts-ignore: decorator
@inline
export function roundHalfAwayFromZero(x: f32): f32 {
  const t = Mathf.trunc(x);
  if (Mathf.abs(x - t) >= <f32>0.5) return x < 0 ? t - <f32>1 : t + <f32>1;
  return t;
}
