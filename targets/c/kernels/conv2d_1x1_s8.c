/* CONV_2D with a 1×1 filter, stride 1, no padding: a matrix product of pixels × input channels by
 * output channels × input channels. The input offset is already folded into folded_bias. */
#include "tf_kernel_params.h"
#include "tf_matmul_rows_s8.h"

void conv2d_1x1_s8(const conv2d_1x1_s8_params *p) {
  const int8_t *input = p->input;
  int8_t *output = p->output;
  const int32_t n = p->input_c, channels = p->output_c;
  for (int32_t px = 0; px < p->pixels; px += 2) {
    const int32_t rows = p->pixels - px >= 2 ? 2 : 1;
    tf_matmul_rows_s8(input + px * n, rows, p->filter, p->folded_bias, p->multipliers, p->shifts, n, channels,
                      output + px * channels, p->output_offset, p->act_min, p->act_max);
  }
}
