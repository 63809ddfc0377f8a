/* LOGISTIC int8 (output scale 1/256, zero point -128): inputs beyond the radius saturate; the rest go through
 * gemmlowp's Q4 logistic. Works in place. */
#include "tf_kernel_params.h"
#include "tf_q4_activation.h"

void logistic_s8(const logistic_s8_params *p) {
  tf_map_q4_activation(TF_Q4_LOGISTIC, p->input, p->output, p->size, p->inputZeroPoint, p->inputRangeRadius,
                       p->inputMultiplier, p->inputLeftShift);
}
