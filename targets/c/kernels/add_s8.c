/* ADD int8, same shapes, TFLite Micro's reference arithmetic. Reads element i before writing it, so the
 * output may alias an input (the planner runs ADD in place). */
#include "tf_add_one_s8.h"
#include "tf_kernel_params.h"

void add_s8(const add_s8_params *p) {
  const int8_t *x = p->input1, *y = p->input2;
  int8_t *out = p->output;
  const tf_add_quant q = TF_ADD_QUANT_FROM(p);
  for (int32_t i = 0; i < p->size; i++) out[i] = tf_add_one_s8(x[i], y[i], &q);
}
