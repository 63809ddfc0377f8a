/* RELU6 int8: a clamp to [zero point, quantized 6] on the input's scale. Works in place. */
#include "tf_clamp_bytes.h"
#include "tf_kernel_params.h"

void relu6_s8(const relu6_s8_params *p) { tf_clamp_bytes(p->input, p->output, p->size, p->lower, p->upper); }
