/* LOGISTIC int8 (output scale 1/256, zero point -128): inputs beyond the radius saturate; the rest go through
 * gemmlowp's Q4 logistic. Works in place. */
#include "tf_gemmlowp_exp.h"
#include "tf_kernel_params.h"

void logistic_s8(const logistic_s8_params *p) {
  const int8_t *in = p->input;
  int8_t *out = p->output;
  for (int32_t i = 0; i < p->size; i++) {
    const int32_t x = in[i] - p->inputZeroPoint;
    int32_t v;
    if (x <= -p->inputRangeRadius) {
      v = -128;
    } else if (x >= p->inputRangeRadius) {
      v = 127;
    } else {
      const int32_t in_q4 = tf_mbqm(x, p->inputMultiplier, p->inputLeftShift);
      v = tf_clamp(tf_rdbpot(tf_logistic_fixed(in_q4, 4), 31 - 8) - 128, -128, 127);
    }
    out[i] = (int8_t)v;
  }
}
