#include "tf_matmul_rows_s8.h"
#include "tf_dot_s8.h"

void tf_matmul_rows_s8(const int8_t *x0, const int8_t *x1, const int8_t *weights, const int32_t *bias,
                                     const int32_t *multipliers, const int32_t *shifts, int32_t n, int32_t channels,
                                     int8_t *out0, int8_t *out1, int32_t output_offset, int32_t act_min,
                                     int32_t act_max) {
  int32_t c = 0;
  if (x1) {
    for (; c + 2 <= channels; c += 2) {
      const int8_t *w0 = weights + c * n;
      int32_t acc[4] = {bias[c], bias[c + 1], bias[c], bias[c + 1]};
      tf_dot_2x2(x0, x1, w0, w0 + n, n, acc);
      out0[c] = tf_requantize(acc[0], multipliers[c], shifts[c], output_offset, act_min, act_max);
      out0[c + 1] = tf_requantize(acc[1], multipliers[c + 1], shifts[c + 1], output_offset, act_min, act_max);
      out1[c] = tf_requantize(acc[2], multipliers[c], shifts[c], output_offset, act_min, act_max);
      out1[c + 1] = tf_requantize(acc[3], multipliers[c + 1], shifts[c + 1], output_offset, act_min, act_max);
    }
    for (; c < channels; c++) {
      const int8_t *w = weights + c * n;
      out0[c] = tf_requantize(tf_dot_1x1(x0, w, n, bias[c]), multipliers[c], shifts[c], output_offset, act_min, act_max);
      out1[c] = tf_requantize(tf_dot_1x1(x1, w, n, bias[c]), multipliers[c], shifts[c], output_offset, act_min, act_max);
    }
    return;
  }
  for (; c + 2 <= channels; c += 2) {
    /* A single row: pair it with itself so the two weight rows still share each input word. */
    const int8_t *w0 = weights + c * n;
    int32_t acc[4] = {bias[c], bias[c + 1], 0, 0};
    tf_dot_2x2(x0, x0, w0, w0 + n, n, acc);
    out0[c] = tf_requantize(acc[0], multipliers[c], shifts[c], output_offset, act_min, act_max);
    out0[c + 1] = tf_requantize(acc[1], multipliers[c + 1], shifts[c + 1], output_offset, act_min, act_max);
  }
  for (; c < channels; c++) {
    out0[c] = tf_requantize(tf_dot_1x1(x0, weights + c * n, n, bias[c]), multipliers[c], shifts[c], output_offset,
                            act_min, act_max);
  }
}

