/* Rows × weight rows, requantized per channel — CONV_2D 1×1 (stride 1, no padding) and FULLY_CONNECTED — on the
 * Cortex-M DSP extension, with the weights laid out at compile time (compiler/emit/c/matmul-packed.ts): per pair of output channels, the doubled accumulator starts, the
 * doubled weights as halfword pairs, then the requantization constants (multiplier, rounding with the output
 * zero point, right shift) of both channels. A C-only kernel: the generated model calls it in DSP builds
 * instead of conv2d_1x1_s8 or fully_connected_s8 (whose parameter structs, shared with the WASM runtime and the
 * blob, are unchanged). */
#ifndef TF_MATMUL_PACKED_S8_H
#define TF_MATMUL_PACKED_S8_H

#include <stdint.h>

typedef struct {
  const int8_t *input;
  const int32_t *packed;
  int8_t *output;
  int32_t rows;    /* pixels of a 1×1 conv, batches of a fully connected layer */
  int32_t depth;   /* values per row: a multiple of 8, at most TF_MATMUL_PACKED_MAX_DEPTH */
  int32_t channels; /* even */
  int32_t act_min;
  int32_t act_max;
} tf_matmul_packed_s8_params;

#define TF_MATMUL_PACKED_MAX_DEPTH 256
#define TF_MATMUL_PACKED_EXTRA_WORDS 10 /* per channel pair besides its n weight words */

void tf_matmul_packed_s8(const tf_matmul_packed_s8_params *p);

#endif
