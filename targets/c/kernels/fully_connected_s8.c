/* FULLY_CONNECTED: batches × input_depth by output_depth × input_depth weights, input offset folded. */
#include "tf_kernel_params.h"
#include "tf_matmul_rows_s8.h"

void fully_connected_s8(const fully_connected_s8_params *p) {
  const int8_t *input = p->input;
  int8_t *output = p->output;
  const int32_t n = p->input_depth, channels = p->output_depth;
  for (int32_t b = 0; b < p->batches; b += 2) {
    const int32_t rows = p->batches - b >= 2 ? 2 : 1;
    tf_matmul_rows_s8(input + b * n, rows, p->filter, p->folded_bias, p->multipliers, p->shifts, n, channels,
                      output + b * channels, p->output_offset, p->act_min, p->act_max);
  }
}
