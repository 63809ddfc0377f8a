/* tf_requantize with fewer instructions on the Cortex-M DSP extension, for channels where it is provably the
 * same function. With shift <= 0 (no left shift) and |a| < 2^29 (the caller bounds the accumulator a):
 *   SaturatingRoundingDoublingHighMul(a, m) = (a·m + 2^30) >> 31 = (2a·m + 2^31) >> 32 = SMMULR(2a, m),
 * 2a cannot overflow, and m is never INT32_MIN, so the saturating case cannot occur. RoundingDivideByPOT(s, e)
 * rounds half away from zero; for 1 <= e that is (s + 2^(e-1) - (s < 0)) >> e, since both add 1 to s >> e
 * exactly when the remainder s & (2^e - 1) exceeds 2^(e-1) - 1 + (s < 0). Adding the output zero point times
 * 2^e before the shift adds it after the shift exactly; with e <= 20 and |zero point| <= 256 nothing overflows. */
#ifndef TF_REQUANT_FAST_H
#define TF_REQUANT_FAST_H

#include <stdint.h>

#if defined(__ARM_FEATURE_DSP)
#include <arm_acle.h>
#endif

#if defined(__ARM_FEATURE_DSP)
typedef struct {
  int32_t multiplier;
  int32_t right;    /* e = -shift, in [1, 20]: the fast path covers multipliers below 1 (shift <= -1) */
  int32_t rounding; /* 2^(e-1) + output_offset·2^e */
} tf_requant_fast;

/* Fills q and returns 1 when every accumulator with |acc| < acc_bound <= 2^29 requantizes exactly on the fast
 * path. The caller checks the bound (and that -256 <= output_offset <= 256). */
static inline int tf_requant_fast_setup(int32_t multiplier, int32_t shift, int32_t output_offset, tf_requant_fast *q) {
  const uint32_t right = (uint32_t)-shift;
  q->multiplier = multiplier;
  q->right = (int32_t)right;
  q->rounding = (int32_t)((1u << ((right - 1) & 31)) + ((uint32_t)output_offset << (right & 31)));
  return right - 1u < 20u;
}

static inline int32_t tf_smmulr(int32_t a, int32_t b) {
  int32_t r;
  __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}

/* The requantized value of acc before clamping, given acc_doubled = 2·acc. */
static inline int32_t tf_requant_fast_apply(int32_t acc_doubled, const tf_requant_fast *q) {
  const int32_t s = tf_smmulr(acc_doubled, q->multiplier);
  return (s + (s >> 31) + q->rounding) >> q->right;
}

/* v clamped to [act_min, act_max]; when that range is all of int8 (full_range), one SSAT does it. */
static inline int8_t tf_clamp_s8(int32_t v, int full_range, int32_t act_min, int32_t act_max) {
  return (int8_t)(full_range ? __ssat(v, 8) : (v < act_min ? act_min : v > act_max ? act_max : v));
}
#endif

#endif
