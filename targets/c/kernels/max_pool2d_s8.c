/* MAX_POOL_2D (NHWC), TFLite Micro's reference: the maximum over the window clipped to the input,
 * starting from -128, then clamped. */
#include "tf_fixedpoint.h"
#include "tf_kernel_params.h"

void max_pool2d_s8(const max_pool2d_s8_params *p) {
  const int8_t *input = p->input;
  int8_t *out = p->output;
  const int32_t depth = p->depth;
  for (int32_t b = 0; b < p->batches; b++) {
    const int8_t *batch = input + b * p->inH * p->inW * depth;
    for (int32_t oy = 0; oy < p->outH; oy++) {
      const int32_t y0 = oy * p->strideH - p->padH;
      const int32_t fy0 = y0 < 0 ? -y0 : 0;
      const int32_t fy1 = p->filterH < p->inH - y0 ? p->filterH : p->inH - y0;
      for (int32_t ox = 0; ox < p->outW; ox++) {
        const int32_t x0 = ox * p->strideW - p->padW;
        const int32_t fx0 = x0 < 0 ? -x0 : 0;
        const int32_t fx1 = p->filterW < p->inW - x0 ? p->filterW : p->inW - x0;
        for (int32_t c = 0; c < depth; c++) {
          int32_t m = -128;
          for (int32_t fy = fy0; fy < fy1; fy++) {
            const int8_t *q = batch + ((y0 + fy) * p->inW + x0 + fx0) * depth + c;
            for (int32_t fx = fx0; fx < fx1; fx++, q += depth)
              if (*q > m) m = *q;
          }
          *out++ = (int8_t)tf_clamp(m, p->actMin, p->actMax);
        }
      }
    }
  }
}
