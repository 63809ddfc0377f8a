/* gemmlowp's fixed-point transcendentals on raw int32 values, as runtime-as/assembly/gemmlowp-exp.ts:
 * exp on negative values, 1/(1+x) and (1-x)/(1+x) by Newton-Raphson, logistic and tanh. */
#ifndef TF_GEMMLOWP_EXP_H
#define TF_GEMMLOWP_EXP_H

#include <stdint.h>

#include "tf_fixedpoint.h"

#define TF_ONE_Q0 INT32_MAX

/* SaturatingRoundingMultiplyByPOT with a positive exponent: a saturating left shift. */
static inline int32_t tf_saturating_shl(int32_t x, int32_t exponent) {
  const int32_t threshold = (int32_t)((1u << (31 - exponent)) - 1u);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return tf_shl_wrap(x, exponent);
}

/* (a + b) / 2 rounded half away from zero, without overflow. */
static inline int32_t tf_rounding_half_sum(int32_t a, int32_t b) {
  int64_t sum = (int64_t)a + (int64_t)b;
  int64_t sign = sum >= 0 ? 1 : -1;
  return (int32_t)((sum + sign) / 2);
}

/* exp(a) for a in [-1/4, 0), Q0 in and out: Taylor series around -1/8. */
static inline int32_t tf_exp_on_interval_neg_quarter_to_0(int32_t a) {
  const int32_t constant_term = 1895147668; /* exp(-1/8) */
  const int32_t constant_1_over_3 = 715827883;
  const int32_t x = tf_add_wrap(a, 1 << 28);
  const int32_t x2 = tf_srdhm(x, x);
  const int32_t x3 = tf_srdhm(x2, x);
  const int32_t x4 = tf_srdhm(x2, x2);
  const int32_t x4_over_4 = tf_rdbpot(x4, 2);
  const int32_t poly = tf_rdbpot(tf_add_wrap(tf_srdhm(tf_add_wrap(x4_over_4, x3), constant_1_over_3), x2), 1);
  return tf_add_wrap(constant_term, tf_srdhm(constant_term, tf_add_wrap(x, poly)));
}

/* exp(a) for a <= 0 with `integer_bits` integer bits; the result is Q0. */
static inline int32_t tf_exp_on_negative_values(int32_t a, int32_t integer_bits) {
  const int32_t fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = (int32_t)(1u << (fractional_bits - 2));
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = (a & mask) - one_quarter;
  int32_t result = tf_exp_on_interval_neg_quarter_to_0(tf_shl_wrap(a_mod_quarter_minus_one_quarter, integer_bits));
  const int32_t remainder = (int32_t)((uint32_t)a_mod_quarter_minus_one_quarter - (uint32_t)a);
#define TF_EXP_BARREL(exponent, multiplier)                                                           \
  if (integer_bits > (exponent) && (remainder & (int32_t)(1u << (fractional_bits + (exponent)))) != 0) \
    result = tf_srdhm(result, multiplier);
  TF_EXP_BARREL(-2, 1672461947)
  TF_EXP_BARREL(-1, 1302514674)
  TF_EXP_BARREL(0, 790015084)
  TF_EXP_BARREL(1, 290630308)
  TF_EXP_BARREL(2, 39332535)
  TF_EXP_BARREL(3, 720401)
  TF_EXP_BARREL(4, 242)
#undef TF_EXP_BARREL
  if (integer_bits > 5) {
    const int32_t clamp = -(int32_t)(1u << (36 - integer_bits));
    if (a < clamp) result = 0;
  }
  if (a == 0) result = TF_ONE_Q0;
  return result;
}

/* Newton-Raphson for 1/(1+a), a in [0, 1): the Q2 estimate of 1/(half denominator). */
static inline int32_t tf_half_denominator_inverse(int32_t a) {
  const int32_t half_denominator = tf_rounding_half_sum(a, TF_ONE_Q0);
  const int32_t constant_48_over_17 = 1515870810;
  const int32_t constant_neg_32_over_17 = -1010580540;
  int32_t x = tf_add_wrap(constant_48_over_17, tf_srdhm(half_denominator, constant_neg_32_over_17));
  for (int i = 0; i < 3; i++) {
    const int32_t half_denominator_times_x = tf_srdhm(half_denominator, x);
    const int32_t one_minus = (int32_t)((uint32_t)(1 << 29) - (uint32_t)half_denominator_times_x);
    x = tf_add_wrap(x, tf_saturating_shl(tf_srdhm(x, one_minus), 2));
  }
  return x;
}

static inline int32_t tf_one_over_one_plus_x_for_x_in_01(int32_t a) {
  return tf_saturating_shl(tf_half_denominator_inverse(a), 1);
}

static inline int32_t tf_one_minus_x_over_one_plus_x_for_x_in_01(int32_t a) {
  return tf_saturating_shl((int32_t)((uint32_t)tf_half_denominator_inverse(a) - (1u << 29)), 2);
}

static inline int32_t tf_logistic_fixed(int32_t a, int32_t integer_bits) {
  if (a == 0) return 1 << 30;
  const int32_t abs_a = a > 0 ? a : -a;
  const int32_t positive = tf_one_over_one_plus_x_for_x_in_01(tf_exp_on_negative_values(-abs_a, integer_bits));
  return a > 0 ? positive : TF_ONE_Q0 - positive;
}

static inline int32_t tf_tanh_fixed(int32_t a, int32_t integer_bits) {
  if (a == 0) return 0;
  const int32_t neg_abs = a < 0 ? a : -a;
  const int32_t t = tf_one_minus_x_over_one_plus_x_for_x_in_01(tf_exp_on_negative_values(neg_abs, integer_bits + 1));
  return a < 0 ? -t : t;
}

#endif
