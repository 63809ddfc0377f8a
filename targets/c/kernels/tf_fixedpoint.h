/* TFLite's fixed-point primitives (gemmlowp semantics) as runtime-as/assembly/fixedpoint.ts has them:
 * double rounding, SaturatingRoundingDoublingHighMul then RoundingDivideByPOT. Shifts and wrapping
 * products go through uint32_t so that no signed overflow (undefined in C) is ever evaluated. */
#ifndef TF_FIXEDPOINT_H
#define TF_FIXEDPOINT_H

#include <stdint.h>

static inline int32_t tf_srdhm(int32_t a, int32_t b) {
  if (a == b && a == INT32_MIN) return INT32_MAX;
  /* The reference adds 2^30 (or 1 - 2^30 when ab < 0) and divides by 2^31 truncating toward zero; for
   * either sign that equals adding 2^30 and shifting right arithmetically, which is a few instructions. */
  return (int32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 30)) >> 31);
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

/* Requantize an accumulator to int8: scale, add the output zero point, clamp to the activation range.
 * Same result as tf_mbqm; prepare's multipliers are Q31 values in [2^30, 2^31) or 0, never INT32_MIN,
 * so the one saturating case of SaturatingRoundingDoublingHighMul cannot occur and its test is left out. */
static inline int8_t tf_requantize(int32_t acc, int32_t multiplier, int32_t shift, int32_t output_offset,
                                   int32_t act_min, int32_t act_max) {
  const int32_t left = shift > 0 ? shift : 0;
  const int32_t right = shift > 0 ? 0 : -shift;
  const int64_t product = (int64_t)tf_shl_wrap(acc, left) * (int64_t)multiplier;
  const int32_t scaled = tf_rdbpot((int32_t)((product + ((int64_t)1 << 30)) >> 31), right);
  return (int8_t)tf_clamp(tf_add_wrap(scaled, output_offset), act_min, act_max);
}

/* tf_requantize split in two: what depends only on the channel (computed once per channel and reused for
 * every pixel), and what each accumulator needs. Same results as tf_requantize. */
typedef struct {
  int32_t multiplier, left, right, mask, half;
} tf_requant_channel;

static inline tf_requant_channel tf_requant_setup(int32_t multiplier, int32_t shift) {
  tf_requant_channel q;
  q.multiplier = multiplier;
  q.left = shift > 0 ? shift : 0;
  q.right = shift > 0 ? 0 : -shift;
  q.mask = (int32_t)((1u << q.right) - 1u);
  q.half = q.mask >> 1;
  return q;
}

static inline int8_t tf_requant_apply(int32_t acc, const tf_requant_channel *q, int32_t output_offset, int32_t act_min,
                                      int32_t act_max) {
  const int64_t product = (int64_t)tf_shl_wrap(acc, q->left) * (int64_t)q->multiplier;
  const int32_t s = (int32_t)((product + ((int64_t)1 << 30)) >> 31);
  /* RoundingDivideByPOT: the threshold is half the divisor, one more for negative values (s >> 31 is -1). */
  const int32_t scaled = (s >> q->right) + ((s & q->mask) > q->half - (s >> 31) ? 1 : 0);
  return (int8_t)tf_clamp(tf_add_wrap(scaled, output_offset), act_min, act_max);
}

#endif
