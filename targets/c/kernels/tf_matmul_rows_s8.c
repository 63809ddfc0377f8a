#include "tf_matmul_rows_s8.h"

#include "tf_dot_s8.h"

void tf_matmul_rows_s8(const int8_t *x, int32_t rows, const int8_t *weights, const int32_t *bias,
                       const int32_t *multipliers, const int32_t *shifts, int32_t n, int32_t channels, int8_t *out,
                       int32_t output_offset, int32_t act_min, int32_t act_max) {
  int32_t c = 0;
  for (; c + 2 <= channels; c += 2) {
    const int8_t *w = weights + c * n;
    if (rows == 2) {
      int32_t acc[4] = {bias[c], bias[c + 1], bias[c], bias[c + 1]};
      tf_dot_2x2(x, w, n, acc);
      const tf_requant_channel q0 = tf_requant_setup(multipliers[c], shifts[c]);
      out[c] = tf_requant_apply(acc[0], &q0, output_offset, act_min, act_max);
      out[channels + c] = tf_requant_apply(acc[2], &q0, output_offset, act_min, act_max);
      const tf_requant_channel q1 = tf_requant_setup(multipliers[c + 1], shifts[c + 1]);
      out[c + 1] = tf_requant_apply(acc[1], &q1, output_offset, act_min, act_max);
      out[channels + c + 1] = tf_requant_apply(acc[3], &q1, output_offset, act_min, act_max);
    } else {
      int32_t acc[2] = {bias[c], bias[c + 1]};
      tf_dot_1x2(x, w, n, acc);
      out[c] = tf_requantize(acc[0], multipliers[c], shifts[c], output_offset, act_min, act_max);
      out[c + 1] = tf_requantize(acc[1], multipliers[c + 1], shifts[c + 1], output_offset, act_min, act_max);
    }
  }
  if (c < channels) {
    const int8_t *w = weights + c * n;
    for (int32_t r = 0; r < rows; r++)
      out[r * channels + c] = tf_requantize(tf_dot_1x1(x + r * n, w, n, bias[c]), multipliers[c], shifts[c],
                                            output_offset, act_min, act_max);
  }
}
