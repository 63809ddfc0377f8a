/* Clamping int8 bytes to [lower, upper], shared by RELU (equal quantization) and RELU6. Works in place. */
#ifndef TF_CLAMP_BYTES_H
#define TF_CLAMP_BYTES_H

#include "tf_fixedpoint.h"

static inline void tf_clamp_bytes(const int8_t *in, int8_t *out, int32_t size, int32_t lower, int32_t upper) {
  for (int32_t i = 0; i < size; i++) out[i] = (int8_t)tf_clamp(in[i], lower, upper);
}

#endif
