/* MUL int8, same shapes. Reads element i before writing it: works in place. */
#include "tf_kernel_params.h"
#include "tf_mul_one_s8.h"

void mul_s8(const mul_s8_params *p) {
  const int8_t *x = p->input1, *y = p->input2;
  int8_t *out = p->output;
  for (int32_t i = 0; i < p->size; i++)
    out[i] = tf_mul_one_s8(x[i], y[i], p->input1Offset, p->input2Offset, p->outputMultiplier, p->outputShift,
                           p->outputOffset, p->actMin, p->actMax);
}
