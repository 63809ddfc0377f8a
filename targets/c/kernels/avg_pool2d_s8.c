/* AVERAGE_POOL_2D (NHWC), TFLite Micro's reference: the window is clipped to the input, the sum divided by
 * the number of valid elements rounding half away from zero, then clamped. */
#include "tf_fixedpoint.h"
#include "tf_kernel_params.h"

void avg_pool2d_s8(const avg_pool2d_s8_params *p) {
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
        const int32_t count = (fy1 - fy0) * (fx1 - fx0);
        const int32_t half = count / 2;
        for (int32_t c = 0; c < depth; c++) {
          int32_t acc = 0;
          for (int32_t fy = fy0; fy < fy1; fy++) {
            const int8_t *q = batch + ((y0 + fy) * p->inW + x0 + fx0) * depth + c;
            for (int32_t fx = fx0; fx < fx1; fx++, q += depth) acc += *q;
          }
          /* An empty window (impossible for valid shapes) averages to 0 instead of dividing by zero. */
          if (count > 0) acc = acc > 0 ? (acc + half) / count : (acc - half) / count;
          *out++ = (int8_t)tf_clamp(acc, p->actMin, p->actMax);
        }
      }
    }
  }
}
