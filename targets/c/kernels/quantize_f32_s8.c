/* QUANTIZE float32 → int8, TFLite Micro's AffineQuantize: round(x / scale) halves away from zero, plus the zero
 * point, clamped. Out-of-range values and NaN convert as on x86-64 (to INT32_MIN) and the zero point then wraps,
 * as in the goldens' x86-64 build; C leaves that conversion undefined, so it is spelled out. */
#include "tf_fixedpoint.h"
#include "tf_float_bits.h"
#include "tf_kernel_params.h"

void quantize_f32_s8(const quantize_f32_s8_params *p) {
  const uint8_t *in = p->input;
  int8_t *out = p->output;
  const float scale = tf_float_from_bits(p->scaleBits);
  for (int32_t i = 0; i < p->size; i++) {
    float x;
    memcpy(&x, in + 4 * i, 4);
    const float r = tf_round_half_away(x / scale);
    const int32_t v = r >= -2147483648.0f && r < 2147483648.0f ? (int32_t)r : INT32_MIN;
    out[i] = (int8_t)tf_clamp(tf_add_wrap(v, p->zeroPoint), -128, 127);
  }
}
