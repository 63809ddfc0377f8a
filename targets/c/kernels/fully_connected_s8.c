/* FULLY_CONNECTED: batches × input_depth by output_depth × input_depth weights, input offset folded. */
#include "tf_matmul_rows_s8.h"
#include "tf_kernel_params.h"

void fully_connected_s8(const fully_connected_s8_params *p) {
  const int8_t *input = p->input;
  int8_t *output = p->output;
  const int32_t n = p->input_depth, channels = p->output_depth;
  int32_t b = 0;
  for (; b + 2 <= p->batches; b += 2) {
    tf_matmul_rows_s8(input + b * n, input + (b + 1) * n, p->filter, p->folded_bias, p->multipliers, p->shifts, n,
                      channels, output + b * channels, output + (b + 1) * channels, p->output_offset, p->act_min,
                      p->act_max);
  }
  if (b < p->batches) {
    tf_matmul_rows_s8(input + b * n, 0, p->filter, p->folded_bias, p->multipliers, p->shifts, n, channels,
                      output + b * channels, 0, p->output_offset, p->act_min, p->act_max);
  }
}
