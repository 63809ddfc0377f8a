/* TFLite's fixed-point primitives (gemmlowp semantics) as runtime-as/assembly/fixedpoint.ts has them:
 * double rounding, SaturatingRoundingDoublingHighMul then RoundingDivideByPOT. Shifts and wrapping
 * products go through uint32_t so that no signed overflow (undefined in C) is ever evaluated. */
#ifndef TF_FIXEDPOINT_H
#define TF_FIXEDPOINT_H

#include <stdint.h>

static inline int32_t tf_srdhm(int32_t a, int32_t b) {
  if (a == b && a == INT32_MIN) return INT32_MAX;
  int64_t ab = (int64_t)a * (int64_t)b;
  int64_t nudge = ab >= 0 ? (int64_t)(1 << 30) : (int64_t)(1 - (1 << 30));
  /* Division by a power of two truncating toward zero, as the reference; compilers emit shifts. */
  return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

static inline int32_t tf_rdbpot(int32_t x, int32_t exponent) {
  int32_t mask = (int32_t)((1u << exponent) - 1u);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

static inline int32_t tf_shl_wrap(int32_t x, int32_t n) { return (int32_t)((uint32_t)x << n); }

/* x × (multiplier × 2^shift), multiplier in Q31; a positive shift shifts left before the multiply. */
static inline int32_t tf_mbqm(int32_t x, int32_t multiplier, int32_t shift) {
  int32_t left = shift > 0 ? shift : 0;
  int32_t right = shift > 0 ? 0 : -shift;
  return tf_rdbpot(tf_srdhm(tf_shl_wrap(x, left), multiplier), right);
}

static inline int32_t tf_add_wrap(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static inline int32_t tf_mul_wrap(int32_t a, int32_t b) { return (int32_t)((uint32_t)a * (uint32_t)b); }

static inline int32_t tf_clamp(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Requantize an accumulator to int8: scale, add the output zero point, clamp to the activation range. */
static inline int8_t tf_requantize(int32_t acc, int32_t multiplier, int32_t shift, int32_t output_offset,
                                   int32_t act_min, int32_t act_max) {
  return (int8_t)tf_clamp(tf_add_wrap(tf_mbqm(acc, multiplier, shift), output_offset), act_min, act_max);
}

#endif
