/* QUANTIZE int8 → int8 (requantize): (x - zp_in) rescaled by s_in/s_out, plus zp_out, clamped. Works in place. */
#include "tf_fixedpoint.h"
#include "tf_kernel_params.h"

void quantize_s8(const quantize_s8_params *p) {
  const int8_t *in = p->input;
  int8_t *out = p->output;
  for (int32_t i = 0; i < p->size; i++) {
    const int32_t v = tf_add_wrap(tf_mbqm(in[i] - p->inputZeroPoint, p->multiplier, p->shift), p->outputZeroPoint);
    out[i] = (int8_t)tf_clamp(v, -128, 127);
  }
}
