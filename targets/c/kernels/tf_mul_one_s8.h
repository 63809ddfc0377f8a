/* One element of TFLite Micro's reference int8 MUL: (x - zp1)(y - zp2) rescaled by s1·s2/s_out, offset, clamped. */
#ifndef TF_MUL_ONE_S8_H
#define TF_MUL_ONE_S8_H

#include "tf_fixedpoint.h"

static inline int8_t tf_mul_one_s8(int32_t x, int32_t y, int32_t input1_offset, int32_t input2_offset,
                                   int32_t output_multiplier, int32_t output_shift, int32_t output_offset,
                                   int32_t act_min, int32_t act_max) {
  const int32_t product = tf_mul_wrap(input1_offset + x, input2_offset + y);
  const int32_t out = tf_add_wrap(output_offset, tf_mbqm(product, output_multiplier, output_shift));
  return (int8_t)tf_clamp(out, act_min, act_max);
}

#endif
