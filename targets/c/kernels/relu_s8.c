/* RELU int8: requantize (x - zp_in) by s_in/s_out, add zp_out, clamp to [quantized 0, 127]; with equal
 * quantization (multiplier 2^30, shift 1: exactly ×1) a plain clamp. Works in place. */
#include "tf_clamp_bytes.h"
#include "tf_kernel_params.h"

void relu_s8(const relu_s8_params *p) {
  const int8_t *in = p->input;
  int8_t *out = p->output;
  if (p->multiplier == (1 << 30) && p->shift == 1 && p->inputZeroPoint == p->outputZeroPoint) {
    tf_clamp_bytes(in, out, p->size, p->actMin, p->actMax);
    return;
  }
  for (int32_t i = 0; i < p->size; i++) {
    const int32_t v = tf_add_wrap(p->outputZeroPoint, tf_mbqm(in[i] - p->inputZeroPoint, p->multiplier, p->shift));
    out[i] = (int8_t)tf_clamp(v, p->actMin, p->actMax);
  }
}
