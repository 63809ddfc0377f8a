/* SOFTMAX int8 → int8 (output scale 1/256, zero point -128), TFLite Micro's reference path: gemmlowp exp
 * of the rescaled differences to the row maximum, a Q12 sum, and its reciprocal. */
#include "tf_gemmlowp_exp.h"
#include "tf_kernel_params.h"

#define SCALED_DIFF_INTEGER_BITS 5
#define ACCUMULATION_INTEGER_BITS 12

static int32_t scaled_exp(int32_t diff, int32_t input_multiplier, int32_t input_left_shift) {
  const int32_t rescaled = tf_srdhm(tf_shl_wrap(diff, input_left_shift), input_multiplier);
  return tf_exp_on_negative_values(rescaled, SCALED_DIFF_INTEGER_BITS);
}

void softmax_s8(const softmax_s8_params *p) {
  const int32_t depth = p->depth;
  for (int32_t r = 0; r < p->rows; r++) {
    const int8_t *in = (const int8_t *)p->input + r * depth;
    int8_t *out = (int8_t *)p->output + r * depth;
    int32_t max_in_row = -128;
    for (int32_t c = 0; c < depth; c++)
      if (in[c] > max_in_row) max_in_row = in[c];
    int32_t sum_of_exps = 0;
    for (int32_t c = 0; c < depth; c++) {
      const int32_t diff = in[c] - max_in_row;
      if (diff >= p->diffMin)
        sum_of_exps = tf_add_wrap(sum_of_exps, tf_rdbpot(scaled_exp(diff, p->inputMultiplier, p->inputLeftShift),
                                                         ACCUMULATION_INTEGER_BITS));
    }
    /* GetReciprocal: normalize the sum to [1, 2) and invert it as 1/(1+x). The row maximum always
     * contributes exp(0), so the sum is positive and clz is defined. */
    const int32_t headroom_plus_one = sum_of_exps ? __builtin_clz((uint32_t)sum_of_exps) : 32;
    const int32_t num_bits_over_unit = ACCUMULATION_INTEGER_BITS - headroom_plus_one;
    const int32_t shifted_sum_minus_one =
        (int32_t)(((uint32_t)sum_of_exps << (headroom_plus_one & 31)) - (1u << 31));
    const int32_t shifted_scale = tf_one_over_one_plus_x_for_x_in_01(shifted_sum_minus_one);
    const int32_t out_shift = num_bits_over_unit + 31 - 8;
    for (int32_t c = 0; c < depth; c++) {
      const int32_t diff = in[c] - max_in_row;
      int32_t v = -128;
      if (diff >= p->diffMin) {
        const int32_t e = scaled_exp(diff, p->inputMultiplier, p->inputLeftShift);
        v = tf_clamp(tf_rdbpot(tf_srdhm(shifted_scale, e), out_shift) - 128, -128, 127);
      }
      out[c] = (int8_t)v;
    }
  }
}
