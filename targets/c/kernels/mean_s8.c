/* MEAN int8 over any axes (up to 5-D): int32 sums per output in the scratch buffer; then with equal input and
 * output quantization sum / count truncated toward zero, otherwise the float32 rescale
 * round(mean · scale + bias) + zp_out, clamped (float32 throughout, no fused multiply-add).
 * `shape` holds 5 input dims then 5 output element strides per input dim (0 on reduced axes). */
#include <string.h>

#include "tf_float_bits.h"
#include "tf_kernel_params.h"

void mean_s8(const mean_s8_params *p) {
  const int32_t *s = p->shape;
  const int32_t *d = s, *stride = s + 5;
  const int8_t *in = p->input;
  int8_t *out = p->output;
  int32_t *sums = p->scratch;
  memset(sums, 0, (size_t)p->outputs * 4);
  for (int32_t a = 0; a < d[0]; a++)
    for (int32_t b = 0; b < d[1]; b++)
      for (int32_t c = 0; c < d[2]; c++)
        for (int32_t e3 = 0; e3 < d[3]; e3++) {
          const int32_t base = a * stride[0] + b * stride[1] + c * stride[2] + e3 * stride[3];
          for (int32_t e = 0; e < d[4]; e++) sums[base + e * stride[4]] += *in++;
        }
  if (p->sameQuantization) {
    for (int32_t i = 0; i < p->outputs; i++) out[i] = (int8_t)(sums[i] / p->count);
    return;
  }
  const float scale = tf_float_from_bits(p->scaleBits), bias = tf_float_from_bits(p->biasBits);
  const float count = (float)p->count, zero_point = (float)p->outputZeroPoint;
  for (int32_t i = 0; i < p->outputs; i++) {
    const float mean = (float)sums[i] / count;
    const float scaled = mean * scale; /* a separate statement: never contracted into an FMA */
    float r = tf_round_half_away(scaled + bias) + zero_point;
    if (r > 127.0f) r = 127.0f;
    if (r < -128.0f) r = -128.0f;
    out[i] = (int8_t)(int32_t)r;
  }
}
