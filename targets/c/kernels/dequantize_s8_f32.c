/* DEQUANTIZE int8 → float32: (q - zp) · scale in float32 (TFLite's double product rounds to the same value). */
#include "tf_float_bits.h"
#include "tf_kernel_params.h"

void dequantize_s8_f32(const dequantize_s8_f32_params *p) {
  const int8_t *in = p->input;
  uint8_t *out = p->output;
  const float scale = tf_float_from_bits(p->scaleBits);
  /* Backwards, so an output that starts where the input starts is never overwritten before it is read. */
  for (int32_t i = p->size - 1; i >= 0; i--) {
    const float v = (float)((int32_t)in[i] - p->zeroPoint) * scale;
    memcpy(out + 4 * i, &v, 4);
  }
}
