/* One element of TFLite Micro's reference int8 ADD: both inputs offset and shifted left, rescaled to a
 * common scale, summed, rescaled to the output, offset and clamped. Shared by add_s8 and add_broadcast_s8. */
#ifndef TF_ADD_ONE_S8_H
#define TF_ADD_ONE_S8_H

#include "tf_fixedpoint.h"

typedef struct {
  int32_t input1_offset, input2_offset, left_shift;
  int32_t input1_multiplier, input1_shift, input2_multiplier, input2_shift;
  int32_t output_multiplier, output_shift, output_offset, act_min, act_max;
} tf_add_quant;

static inline int8_t tf_add_one_s8(int32_t x, int32_t y, const tf_add_quant *q) {
  const int32_t a = tf_mbqm(tf_shl_wrap(q->input1_offset + x, q->left_shift), q->input1_multiplier, q->input1_shift);
  const int32_t b = tf_mbqm(tf_shl_wrap(q->input2_offset + y, q->left_shift), q->input2_multiplier, q->input2_shift);
  const int32_t out = tf_add_wrap(tf_mbqm(tf_add_wrap(a, b), q->output_multiplier, q->output_shift), q->output_offset);
  return (int8_t)tf_clamp(out, q->act_min, q->act_max);
}

#define TF_ADD_QUANT_FROM(p)                                                                            \
  {                                                                                                     \
    (p)->input1Offset, (p)->input2Offset, (p)->leftShift, (p)->input1Multiplier, (p)->input1Shift,      \
        (p)->input2Multiplier, (p)->input2Shift, (p)->outputMultiplier, (p)->outputShift, (p)->outputOffset, \
        (p)->actMin, (p)->actMax                                                                        \
  }

#endif
