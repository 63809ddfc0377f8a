/* CONV_2D 1×1 (stride 1, no padding) on the Cortex-M DSP extension, with its weights laid out at compile time
 * (compiler/emit/c/conv2d-1x1-packed.ts): per pair of output channels, the doubled accumulator starts, the
 * doubled weights as halfword pairs, then the requantization constants (multiplier, rounding with the output
 * zero point, right shift) of both channels. A C-only kernel: the generated model calls it in DSP builds
 * instead of conv2d_1x1_s8 (whose parameter struct, shared with the WASM runtime and the blob, is unchanged). */
#ifndef TF_CONV2D_1X1_PACKED_S8_H
#define TF_CONV2D_1X1_PACKED_S8_H

#include <stdint.h>

typedef struct {
  const int8_t *input;
  const int32_t *packed;
  int8_t *output;
  int32_t pixels;
  int32_t input_c;  /* a multiple of 8, at most TF_PACKED_1X1_MAX_INPUT_C */
  int32_t output_c; /* even */
  int32_t act_min;
  int32_t act_max;
} tf_conv2d_1x1_packed_s8_params;

#define TF_PACKED_1X1_MAX_INPUT_C 256
#define TF_PACKED_1X1_EXTRA_WORDS 10 /* per channel pair besides its n weight words */

void tf_conv2d_1x1_packed_s8(const tf_conv2d_1x1_packed_s8_params *p);

#endif
