/* TANH int8 (output scale 1/128, zero point 0): inputs beyond the radius saturate; the rest go through
 * gemmlowp's Q4 tanh. Works in place. */
#include "tf_kernel_params.h"
#include "tf_q4_activation.h"

void tanh_s8(const tanh_s8_params *p) {
  tf_map_q4_activation(TF_Q4_TANH, p->input, p->output, p->size, p->inputZeroPoint, p->inputRangeRadius,
                       p->inputMultiplier, p->inputLeftShift);
}
