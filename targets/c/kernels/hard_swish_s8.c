/* HARD_SWISH int8, TFLite's reference in int16 fixed point: x on a 2^7 finer "hires" scale, a "reluish" factor
 * in [0, 1] from x rescaled so that 3.0 maps to 32768, their product rescaled to the output. Works in place. */
#include "tf_fixedpoint.h"
#include "tf_kernel_params.h"

static inline int32_t srdhm16(int32_t a, int32_t b) {
  if (a == b && a == -32768) return 32767;
  const int32_t ab = a * b;
  const int32_t nudge = ab >= 0 ? 1 << 14 : 1 - (1 << 14);
  return (int16_t)((ab + nudge) / (1 << 15));
}

/* SaturatingDoublingHighMul: no rounding nudge, C division (toward zero). */
static inline int32_t sdhm16(int32_t a, int32_t b) {
  if (a == b && a == -32768) return 32767;
  return (int16_t)((a * b) / (1 << 15));
}

static inline int32_t saturating_left_shift16(int32_t value, int32_t amount) {
  const int64_t r = (int64_t)value * ((int64_t)1 << amount);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : (int32_t)r;
}

static inline int32_t rdbpot16(int32_t x, int32_t exponent) {
  /* gemmlowp computes the mask in int16: from 16 on it is all ones. */
  const int32_t mask = exponent >= 16 ? -1 : (int32_t)((1u << exponent) - 1u);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> (exponent & 31)) + (remainder > threshold ? 1 : 0); /* shift counts wrap as in WebAssembly */
}

void hard_swish_s8(const hard_swish_s8_params *p) {
  const int8_t *in = p->input;
  int8_t *out = p->output;
  for (int32_t i = 0; i < p->size; i++) {
    const int32_t input_value = (int16_t)(in[i] - p->inputZeroPoint);
    const int32_t hires = (int16_t)(input_value * (1 << 7));
    const int32_t preshift_output = srdhm16(hires, p->outputMultiplier);
    int32_t reluish = hires;
    if (p->reluishExponent > 0) reluish = saturating_left_shift16(reluish, p->reluishExponent - 1);
    reluish = srdhm16(reluish, p->reluishMultiplier);
    if (p->reluishExponent > 0) reluish = saturating_left_shift16(reluish, 1);
    if (p->reluishExponent < 0) reluish = rdbpot16(reluish, -p->reluishExponent);
    reluish = (int16_t)((reluish + (1 << 15)) >> 1);
    const int32_t preshift_value = sdhm16(reluish, preshift_output);
    const int32_t v = (int16_t)(rdbpot16(preshift_value, -p->outputExponent) + p->outputZeroPoint);
    out[i] = (int8_t)tf_clamp(v, -128, 127);
  }
}
