/* CONCATENATION int8: one call per input copies its blocks into the output at its offset along the axis. */
#include <string.h>

#include "tf_kernel_params.h"

void concatenation_s8(const concatenation_s8_params *p) {
  const int8_t *in = p->input;
  int8_t *out = p->output;
  for (int32_t o = 0; o < p->outer; o++)
    memmove(out + o * p->outputBlock + p->outputOffset, in + o * p->inputBlock, (size_t)p->inputBlock);
}
