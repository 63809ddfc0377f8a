/* Float scalars travel as the int32 bit pattern of their float32 value; C rounding helpers without libm. */
#ifndef TF_FLOAT_BITS_H
#define TF_FLOAT_BITS_H

#include <stdint.h>
#include <string.h>

/* Float kernels must round like the WASM runtime: no fused multiply-add, even where a build system (Arduino,
 * PlatformIO, Zephyr) compiles them with its own flags and contraction on. The pragma covers the rest of every
 * file that includes this header. */
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

static inline float tf_float_from_bits(int32_t bits) {
  float f;
  memcpy(&f, &bits, 4);
  return f;
}

/* Truncation toward zero in float32 (values of magnitude 2^23 and more, and NaN, are returned as they are). */
static inline float tf_truncf(float x) {
  if (!(x > -8388608.0f && x < 8388608.0f)) return x;
  return (float)(int32_t)x;
}

/* C's roundf: halves away from zero. */
static inline float tf_round_half_away(float x) {
  const float t = tf_truncf(x);
  const float d = x - t;
  if (d >= 0.5f || d <= -0.5f) return x < 0 ? t - 1.0f : t + 1.0f;
  return t;
}

#endif
