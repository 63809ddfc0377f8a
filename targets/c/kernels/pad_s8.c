/* PAD int8 (up to 5-D): the input copied into the output after the leading paddings, the rest filled with the
 * pad value. `shape` holds 5 input dims, 5 leading paddings, 5 output dims. */
#include <string.h>

#include "tf_kernel_params.h"

void pad_s8(const pad_s8_params *p) {
  const int32_t *s = p->shape;
  const int32_t *in_dims = s, *pad = s + 5, *out_dims = s + 10;
  const int8_t *src = p->input;
  int8_t *out = p->output;
  const int fill = (int)(uint8_t)p->padValue;
  const int32_t after = out_dims[4] - pad[4] - in_dims[4];
  for (int32_t a = 0; a < out_dims[0]; a++) {
    const int in_a = a >= pad[0] && a < pad[0] + in_dims[0];
    for (int32_t b = 0; b < out_dims[1]; b++) {
      const int in_b = in_a && b >= pad[1] && b < pad[1] + in_dims[1];
      for (int32_t c = 0; c < out_dims[2]; c++) {
        const int in_c = in_b && c >= pad[2] && c < pad[2] + in_dims[2];
        for (int32_t d = 0; d < out_dims[3]; d++, out += out_dims[4]) {
          if (in_c && d >= pad[3] && d < pad[3] + in_dims[3]) {
            /* Input rows are visited in order, so the source pointer just advances. */
            memset(out, fill, (size_t)pad[4]);
            memcpy(out + pad[4], src, (size_t)in_dims[4]);
            memset(out + pad[4] + in_dims[4], fill, (size_t)after);
            src += in_dims[4];
          } else {
            memset(out, fill, (size_t)out_dims[4]);
          }
        }
      }
    }
  }
}
