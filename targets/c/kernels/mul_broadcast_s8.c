/* MUL int8 with broadcasting: `shape` holds the 6 output dimensions, then each input's 6 element strides. */
#include "tf_kernel_params.h"
#include "tf_mul_one_s8.h"

void mul_broadcast_s8(const mul_broadcast_s8_params *p) {
  const int32_t *s = p->shape;
  const int32_t *d = s, *a = s + 6, *b = s + 12;
  const int8_t *x = p->input1, *y = p->input2;
  int8_t *out = p->output;
  for (int32_t i0 = 0; i0 < d[0]; i0++)
    for (int32_t i1 = 0; i1 < d[1]; i1++)
      for (int32_t i2 = 0; i2 < d[2]; i2++)
        for (int32_t i3 = 0; i3 < d[3]; i3++)
          for (int32_t i4 = 0; i4 < d[4]; i4++) {
            const int8_t *px = x + i0 * a[0] + i1 * a[1] + i2 * a[2] + i3 * a[3] + i4 * a[4];
            const int8_t *py = y + i0 * b[0] + i1 * b[1] + i2 * b[2] + i3 * b[3] + i4 * b[4];
            for (int32_t i5 = 0; i5 < d[5]; i5++)
              *out++ = tf_mul_one_s8(px[i5 * a[5]], py[i5 * b[5]], p->input1Offset, p->input2Offset,
                                     p->outputMultiplier, p->outputShift, p->outputOffset, p->actMin, p->actMax);
          }
}
