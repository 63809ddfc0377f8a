/* The shared inner product of 1×1 conv, im2col conv and fully connected: one or two input rows against
 * every weight row, requantized per channel. One out-of-line copy keeps the firmware small. */
#ifndef TF_MATMUL_ROWS_S8_H
#define TF_MATMUL_ROWS_S8_H

#include <stdint.h>

/* For r < rows (1 or 2): out[r·channels + c] = requantized (bias[c] + x[r·n ..]·weights[c·n ..]) over n values. */
void tf_matmul_rows_s8(const int8_t *x, int32_t rows, const int8_t *weights, const int32_t *bias,
                       const int32_t *multipliers, const int32_t *shifts, int32_t n, int32_t channels, int8_t *out,
                       int32_t output_offset, int32_t act_min, int32_t act_max);

#endif
